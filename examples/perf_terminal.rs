//! The process-level figures of docs/PERFORMANCE.md, measured on the release binary in a
//! pseudo-terminal (120x40) over the large demo clinic for today's date:
//!
//! - start of the process to the first complete frame of Today (the Today footer on screen),
//! - key press (`j`/`k`) to the end of the next frame, 99th percentile over 300 moves,
//! - bytes written to the terminal when the selection moves one row,
//! - idle CPU over 10 seconds with nothing happening,
//! - peak RSS (VmHWM) after every tab has been shown,
//! - wall time of `report referrals` (12 months) and `okr status` as whole commands.
//!
//!     cargo build --release && cargo run --release --example perf_terminal [-- path/to/frontdesk]
//!
//! The demo is generated once per date (the app follows the wall clock) and cached beside the
//! benchmark files (benches/support).

#[path = "../benches/support/mod.rs"]
mod support;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// The end of a synchronized update: the app wraps every frame in one.
const FRAME_END: &[u8] = b"\x1b[?2026l";
/// Shown only once Today has loaded and drawn its footer (English UI).
const TODAY_READY: &str = "Arrived";

struct Session {
    raw: Arc<Mutex<Vec<u8>>>,
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    fn spawn(binary: &Path, db: &Path) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize { rows: 40, cols: 120, pixel_width: 0, pixel_height: 0 })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(binary);
        cmd.args(["--db", &db.display().to_string(), "--lang", "en"]);
        cmd.env_clear();
        for key in ["PATH", "HOME", "USER"] {
            if let Ok(v) = std::env::var(key) {
                cmd.env(key, v);
            }
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let raw = Arc::new(Mutex::new(Vec::new()));
        let parser = Arc::new(Mutex::new(vt100::Parser::new(40, 120, 0)));
        let (r, p) = (raw.clone(), parser.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                r.lock().unwrap().extend_from_slice(&buf[..n]);
                p.lock().unwrap().process(&buf[..n]);
            }
        });
        Session { raw, parser, writer, child, _master: pair.master }
    }

    fn len(&self) -> usize {
        self.raw.lock().unwrap().len()
    }

    fn send(&mut self, s: &str) {
        self.writer.write_all(s.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn screen_has(&self, text: &str) -> bool {
        self.parser.lock().unwrap().screen().contents().contains(text)
    }

    fn wait_for_screen(&self, text: &str, limit: Duration) -> Duration {
        let started = Instant::now();
        while !self.screen_has(text) {
            assert!(started.elapsed() < limit, "{text:?} did not appear within {limit:?}");
            std::thread::sleep(Duration::from_micros(200));
        }
        started.elapsed()
    }

    /// Waits until a frame that started after byte `from` has ended.
    fn wait_frame_after(&self, from: usize, limit: Duration) {
        let started = Instant::now();
        loop {
            {
                let raw = self.raw.lock().unwrap();
                if raw.len() > from && raw[from..].windows(FRAME_END.len()).any(|w| w == FRAME_END) {
                    return;
                }
            }
            assert!(started.elapsed() < limit, "no frame within {limit:?}");
            std::thread::sleep(Duration::from_micros(100));
        }
    }

    /// Waits until nothing has been written for `quiet`.
    fn settle(&self, quiet: Duration) {
        let mut last = self.len();
        let mut since = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(10));
            let now = self.len();
            if now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= quiet {
                return;
            }
        }
    }

    fn pid(&self) -> u32 {
        self.child.process_id().expect("pid")
    }

    fn quit(mut self) {
        self.send("q");
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "the app did not quit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("stat");
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn clock_ticks_per_second() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let binary = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| {
        let target = option_env!("CARGO_TARGET_DIR").unwrap_or("target");
        PathBuf::from(target).join("release").join("frontdesk")
    });
    assert!(binary.exists(), "{} not found: cargo build --release first", binary.display());
    // The pty spawner looks a relative name up in PATH: hand it the absolute path.
    let binary = binary.canonicalize().expect("the binary's absolute path");
    let today = chrono::Local::now().date_naive();
    let db = support::large_demo(today);
    println!("binary {}\ndemo   {}\n", binary.display(), db.display());

    // Warm the page cache once, as on a desk PC that has the file open all day.
    Session::spawn(&binary, &db).quit();

    let mut first_frames = Vec::new();
    for _ in 0..10 {
        let s = Session::spawn(&binary, &db);
        first_frames.push(s.wait_for_screen(TODAY_READY, Duration::from_secs(30)));
        s.quit();
    }
    let first_max = *first_frames.iter().max().unwrap();
    println!("first frame of Today      median {:>8.1?}  max {:>8.1?}", median(&mut first_frames), first_max);

    let mut s = Session::spawn(&binary, &db);
    s.wait_for_screen(TODAY_READY, Duration::from_secs(30));
    s.settle(Duration::from_millis(700));

    // Bytes per move and key-to-frame latency, alternating down and up.
    let mut bytes = Vec::new();
    let mut latencies = Vec::new();
    for i in 0..300 {
        let before = s.len();
        let started = Instant::now();
        s.send(if i % 2 == 0 { "j" } else { "k" });
        s.wait_frame_after(before, Duration::from_secs(5));
        latencies.push(started.elapsed());
        if i < 20 {
            s.settle(Duration::from_millis(150));
            bytes.push(s.len() - before);
        }
    }
    latencies.sort();
    bytes.sort();
    println!(
        "key to next frame (300)   p50 {:>8.1?}  p99 {:>8.1?}  max {:>8.1?}",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies[latencies.len() - 1]
    );
    println!(
        "bytes per one-row move    median {} B  max {} B",
        bytes[bytes.len() / 2],
        bytes[bytes.len() - 1]
    );

    // Idle: nothing typed, nothing changing in the database.
    s.settle(Duration::from_millis(700));
    let pid = s.pid();
    let ticks = clock_ticks_per_second();
    let (t0, c0) = (Instant::now(), cpu_ticks(pid));
    std::thread::sleep(Duration::from_secs(10));
    let used = (cpu_ticks(pid) - c0) as f64 / ticks as f64;
    println!("idle CPU over 10 s         {:.2}%", 100.0 * used / t0.elapsed().as_secs_f64());

    // Every tab once, then the peak memory.
    for key in ["2", "3", "4", "5", "1"] {
        let before = s.len();
        let started = Instant::now();
        s.send(key);
        s.wait_frame_after(before, Duration::from_secs(30));
        println!("tab {key} to its frame        {:>8.1?}", started.elapsed());
        s.settle(Duration::from_millis(200));
    }
    println!("peak RSS (VmHWM)          {} KiB", peak_rss_kib(pid));
    s.quit();

    // The reports as whole commands (start, open, compute, print, exit).
    for args in [&["report", "referrals"][..], &["okr", "status"][..]] {
        let mut times = Vec::new();
        for _ in 0..5 {
            let started = Instant::now();
            let out = std::process::Command::new(&binary)
                .args(["--db", &db.display().to_string()])
                .args(args)
                .output()
                .expect("run");
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            times.push(started.elapsed());
        }
        println!("{:<26}median {:>8.1?}", args.join(" "), median(&mut times));
    }
}
