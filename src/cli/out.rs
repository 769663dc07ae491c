//! The commands' standard output. A reader that goes away before the command is done
//! (`ccsim run | head -3`, `ccsim schema | head -2`) ends the command quietly with
//! [`EXIT_PIPE_CLOSED`], as a Unix tool killed by SIGPIPE would, never with a panic. Files a
//! command writes are written before it prints about them, so they are whole by then.

use std::fmt;
use std::io::{self, ErrorKind, Write};

/// Standard output closed under the command: 128 + SIGPIPE, what a shell shows for a tool the
/// signal ended.
pub const EXIT_PIPE_CLOSED: u8 = 141;

/// Writes `args` to standard output; a closed pipe exits at once with [`EXIT_PIPE_CLOSED`],
/// any other write error with [`super::EXIT_INTERNAL`] and a line on standard error.
pub fn write_out(args: fmt::Arguments<'_>) {
    let mut out = io::stdout().lock();
    let written = out.write_fmt(args).and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::BrokenPipe => {
            std::process::exit(i32::from(EXIT_PIPE_CLOSED))
        }
        Err(e) => {
            eprintln!("error: cannot write to standard output: {e}");
            std::process::exit(i32::from(super::EXIT_INTERNAL))
        }
    }
}

/// `print!` that ends the command quietly when standard output is closed.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::out::write_out(format_args!($($arg)*))
    };
}

/// `println!` that ends the command quietly when standard output is closed.
macro_rules! outln {
    () => {
        $crate::cli::out::write_out(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::out::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}
