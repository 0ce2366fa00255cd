//! A small harness that runs the built binary in a pseudo-terminal, types into it and reads
//! the screen through a vt100 parser - the way a person at the desk would see it.

use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub struct Pty {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Option<Box<dyn Write + Send>>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Option<Box<dyn portable_pty::MasterPty + Send>>,
    /// Asks the reader thread to let go of its copy of the master side.
    stop_reading: Arc<AtomicBool>,
    reader_thread: Option<std::thread::JoinHandle<()>>,
    size: (u16, u16),
}

impl Pty {
    /// Starts `program args` in a `cols`x`rows` terminal with a clean, Korean-capable env.
    pub fn spawn(program: &str, args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Pty {
        let system = native_pty_system();
        let pair = system.openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("openpty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env_clear();
        for key in ["PATH", "HOME", "USER"] {
            if let Ok(v) = std::env::var(key) {
                cmd.env(key, v);
            }
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        // The binary's clock is the tests' fixed moment, so a test passes on any day (a test
        // may pass another FRONTDESK_NOW, or an empty one for the wall clock).
        cmd.env(super::FIXED_NOW_ENV.0, super::FIXED_NOW_ENV.1);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn in pty");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        let stop_reading = Arc::new(AtomicBool::new(false));
        let stop = stop_reading.clone();
        let reader_thread = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
                if stop.load(Ordering::SeqCst) {
                    break;
                }
            }
        });
        Pty {
            parser,
            raw,
            writer: Some(writer),
            child,
            master: Some(pair.master),
            stop_reading,
            reader_thread: Some(reader_thread),
            size: (cols, rows),
        }
    }

    /// Closes the terminal under the program, the way a dropped SSH connection does: every
    /// copy of the master side is closed (the program gets SIGHUP and reads fail), the child
    /// is kept to watch it end. Returns the moment the last copy was closed.
    pub fn close_master(&mut self) -> Instant {
        // The reader thread holds a copy and sits in read(); ask it to stop after the next
        // read, and make the program draw (a resize) so that read returns.
        self.stop_reading.store(true, Ordering::SeqCst);
        if let Some(m) = &self.master {
            let (cols, rows) = self.size;
            let _ = m.resize(PtySize { rows, cols: cols.saturating_sub(1), pixel_width: 0, pixel_height: 0 });
        }
        if let Some(t) = self.reader_thread.take() {
            let deadline = Instant::now() + Duration::from_secs(5);
            while !t.is_finished() {
                assert!(Instant::now() < deadline, "the reader thread did not let go of the terminal");
                std::thread::sleep(Duration::from_millis(5));
            }
            t.join().unwrap();
        }
        self.writer = None;
        self.master = None;
        Instant::now()
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// The program's exit status if it has ended.
    pub fn try_exit(&mut self) -> Option<portable_pty::ExitStatus> {
        self.child.try_wait().unwrap()
    }

    /// Types text (each char as a key press).
    pub fn send(&mut self, s: &str) {
        let w = self.writer.as_mut().expect("the terminal is closed");
        w.write_all(s.as_bytes()).unwrap();
        w.flush().unwrap();
    }

    /// Sends raw bytes, as a terminal would for a key.
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        let w = self.writer.as_mut().expect("the terminal is closed");
        w.write_all(bytes).unwrap();
        w.flush().unwrap();
        // A lone Esc must not merge with the next key into an Alt sequence.
        if bytes == b"\x1b" {
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    /// Sends a key by name: Enter, Esc, Tab, BackTab, Up, Down, Left, Right, Backspace, Ctrl-X.
    pub fn key(&mut self, name: &str) {
        let seq: Vec<u8> = match name {
            "Enter" => b"\r".to_vec(),
            "Esc" => b"\x1b".to_vec(),
            "Tab" => b"\t".to_vec(),
            "BackTab" => b"\x1b[Z".to_vec(),
            "Up" => b"\x1b[A".to_vec(),
            "Down" => b"\x1b[B".to_vec(),
            "Right" => b"\x1b[C".to_vec(),
            "Left" => b"\x1b[D".to_vec(),
            "Backspace" => b"\x7f".to_vec(),
            "Space" => b" ".to_vec(),
            ctrl if ctrl.starts_with("Ctrl-") => {
                let c = ctrl.as_bytes()[5].to_ascii_lowercase();
                vec![c - b'a' + 1]
            }
            other => panic!("unknown key {other}"),
        };
        let w = self.writer.as_mut().expect("the terminal is closed");
        w.write_all(&seq).unwrap();
        w.flush().unwrap();
        // A lone Esc must not merge with the next key into an Alt sequence.
        if name == "Esc" {
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    pub fn cursor_hidden(&self) -> bool {
        self.parser.lock().unwrap().screen().hide_cursor()
    }

    /// Everything the program wrote, as bytes.
    pub fn raw_output(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// Waits until the screen contains `text`; panics with the screen after `secs`.
    pub fn wait_for(&self, text: &str, secs: u64) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {text:?}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Waits for the program to end; returns its exit status, or panics after `secs`.
    pub fn wait_exit(&mut self, secs: u64) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread drain the last bytes.
                std::thread::sleep(Duration::from_millis(100));
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the program did not exit within {secs}s; the screen shows:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
