//! Surveys and sentiment (SUR-1..2).
//!
//! - SUR-1: a survey goes out when a conversation turns Solved, over the customer's last
//!   channel, unless the same customer got one less than the set period ago; the answer is happy
//!   or not happy (or none: not every customer answers).
//! - SUR-2: each customer message gets a sentiment score in [-1, 1]; the conversation's score is
//!   a weighted mean in which later messages weigh more — **(decision)** the k-th message weighs
//!   k — and falls in a band: below -0.35 negative, above 0.35 positive, neutral between.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

/// The survey settings (SUR-1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurveyPolicy {
    /// No survey to a customer sooner than this after the previous one, ms.
    pub min_gap_ms: u64,
    /// Share of surveyed customers who answer, 0..=1.
    pub response_share: f64,
    /// Share of answers that are happy, 0..=1.
    pub happy_share: f64,
}

/// A survey's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyAnswer {
    /// Happy.
    Happy,
    /// Not happy.
    NotHappy,
    /// No answer.
    None,
}

impl SurveyPolicy {
    /// SUR-1: whether a customer last surveyed at `last_ms` (if ever) gets one at `now_ms`.
    pub fn due(&self, last_ms: Option<u64>, now_ms: u64) -> bool {
        last_ms.is_none_or(|last| now_ms >= last.saturating_add(self.min_gap_ms))
    }

    /// The customer's answer.
    pub fn answer<R: Rng + ?Sized>(&self, rng: &mut R) -> SurveyAnswer {
        let responds: f64 = rng.random();
        let happy: f64 = rng.random();
        if responds >= self.response_share {
            SurveyAnswer::None
        } else if happy < self.happy_share {
            SurveyAnswer::Happy
        } else {
            SurveyAnswer::NotHappy
        }
    }
}

/// How a segment's customers' messages score (SUR-2): normal, clamped to [-1, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SentimentModel {
    /// Mean score of a message.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
}

impl SentimentModel {
    /// One message's score.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let z: f64 = StandardNormal.sample(rng);
        (self.mean + self.sd * z).clamp(-1.0, 1.0)
    }
}

/// A conversation's running sentiment (SUR-2).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ConversationSentiment {
    weighted_sum: f64,
    weight_sum: f64,
    messages: u32,
}

/// The three bands of a conversation's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentimentBand {
    /// Below -0.35.
    Negative,
    /// From -0.35 to 0.35.
    Neutral,
    /// Above 0.35.
    Positive,
}

impl SentimentBand {
    /// Every band, in report order.
    pub const ALL: [SentimentBand; 3] = [
        SentimentBand::Negative,
        SentimentBand::Neutral,
        SentimentBand::Positive,
    ];

    /// The band of a score.
    pub fn of(score: f64) -> Self {
        if score < -0.35 {
            SentimentBand::Negative
        } else if score > 0.35 {
            SentimentBand::Positive
        } else {
            SentimentBand::Neutral
        }
    }

    /// The name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            SentimentBand::Negative => "negative",
            SentimentBand::Neutral => "neutral",
            SentimentBand::Positive => "positive",
        }
    }
}

impl ConversationSentiment {
    /// Adds the next customer message's score.
    pub fn add(&mut self, score: f64) {
        self.messages += 1;
        let weight = f64::from(self.messages);
        self.weighted_sum += weight * score;
        self.weight_sum += weight;
    }

    /// The conversation's score; `None` before any message.
    pub fn score(&self) -> Option<f64> {
        (self.messages > 0).then(|| self.weighted_sum / self.weight_sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    const DAY: u64 = 86_400_000;

    #[test]
    fn sur_1_no_second_survey_within_the_gap() {
        let p = SurveyPolicy {
            min_gap_ms: 7 * DAY,
            response_share: 0.5,
            happy_share: 0.8,
        };
        assert!(p.due(None, 0));
        assert!(!p.due(Some(10 * DAY), 16 * DAY));
        assert!(p.due(Some(10 * DAY), 17 * DAY));
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let n = 100_000;
        let answers: Vec<SurveyAnswer> = (0..n).map(|_| p.answer(&mut rng)).collect();
        let share = |a| answers.iter().filter(|&&x| x == a).count() as f64 / n as f64;
        assert!((share(SurveyAnswer::None) - 0.5).abs() < 0.01);
        assert!((share(SurveyAnswer::Happy) - 0.4).abs() < 0.01);
        assert!((share(SurveyAnswer::NotHappy) - 0.1).abs() < 0.01);
    }

    #[test]
    fn sur_2_later_messages_weigh_more_and_scores_fall_in_three_bands() {
        let mut s = ConversationSentiment::default();
        assert_eq!(s.score(), None);
        // An angry opening, then calmer: (1·-0.9 + 2·0.0 + 3·0.6) / 6 = 0.15.
        for score in [-0.9, 0.0, 0.6] {
            s.add(score);
        }
        assert!((s.score().unwrap() - 0.15).abs() < 1e-12);
        // The same messages the other way round end angry: (0.6 + 0 - 2.7) / 6 = -0.35.
        let mut r = ConversationSentiment::default();
        for score in [0.6, 0.0, -0.9] {
            r.add(score);
        }
        assert!((r.score().unwrap() + 0.35).abs() < 1e-12);
        assert_eq!(SentimentBand::of(-0.36), SentimentBand::Negative);
        assert_eq!(SentimentBand::of(-0.35), SentimentBand::Neutral);
        assert_eq!(SentimentBand::of(0.35), SentimentBand::Neutral);
        assert_eq!(SentimentBand::of(0.36), SentimentBand::Positive);
        // Scores stay in [-1, 1].
        let m = SentimentModel { mean: 0.9, sd: 2.0 };
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert!(
            (0..1000)
                .map(|_| m.sample(&mut rng))
                .all(|x| (-1.0..=1.0).contains(&x))
        );
    }
}
