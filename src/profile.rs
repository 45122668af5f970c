//! `JIXIAO_PROFILE=1` prints the time of each phase to stderr, for tuning (not a user feature;
//! `--verbose` gives users the totals). Each lap shows wall time and the CPU time the whole
//! process spent meanwhile (on all threads): their ratio says how busy the cores were.

use std::time::Instant;

pub struct Laps {
    on: bool,
    last: Instant,
    last_cpu: f64,
}

impl Laps {
    pub fn start() -> Laps {
        let on = std::env::var_os("JIXIAO_PROFILE").is_some();
        Laps {
            on,
            last: Instant::now(),
            last_cpu: if on { process_cpu_seconds() } else { 0.0 },
        }
    }

    pub fn lap(&mut self, what: &str) {
        if self.on {
            let cpu = process_cpu_seconds();
            eprintln!(
                "  {what:<28} {:.3} s  (process CPU {:.3} s)",
                self.last.elapsed().as_secs_f64(),
                cpu - self.last_cpu
            );
            self.last_cpu = cpu;
        }
        self.last = Instant::now();
    }
}

/// User + system CPU time of this process so far (Linux `/proc/self/stat`; 0 elsewhere).
fn process_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}
