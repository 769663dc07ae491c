//! A keep-alive HTTP/1.1 client on a blocking socket, for the mock benches: one request and
//! its answer at a time, so the client costs the same against any server.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};

use ccsim::live::mock::DEFAULT_KEY;

/// One keep-alive connection.
pub struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    body: Vec<u8>,
}

impl Client {
    pub fn new(addr: SocketAddr) -> Self {
        let stream = TcpStream::connect(addr).expect("connects");
        stream.set_nodelay(true).expect("nodelay");
        Self {
            reader: BufReader::new(stream.try_clone().expect("a second handle")),
            writer: stream,
            body: Vec::new(),
        }
    }

    /// Sends one POST and reads its answer; returns the status and body.
    pub fn post(&mut self, path: &str, json: &str) -> (u16, &[u8]) {
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: App {DEFAULT_KEY}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{json}",
            json.len()
        );
        self.send(&request)
    }

    /// Sends one GET and reads its answer; returns the status and body.
    pub fn get(&mut self, path: &str) -> (u16, &[u8]) {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: App {DEFAULT_KEY}\r\n\r\n"
        );
        self.send(&request)
    }

    fn send(&mut self, request: &str) -> (u16, &[u8]) {
        self.writer.write_all(request.as_bytes()).expect("writes");
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("a status line");
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status");
        let mut length = 0;
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("a header");
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().expect("a length");
            }
        }
        self.body.resize(length, 0);
        self.reader.read_exact(&mut self.body).expect("the body");
        (status, &self.body)
    }
}
