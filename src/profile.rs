//! `JIXIAO_PROFILE=1` prints the time of each phase to stderr, for tuning (not a user feature;
//! `--verbose` gives users the totals).

use std::time::Instant;

pub struct Laps {
    on: bool,
    last: Instant,
}

impl Laps {
    pub fn start() -> Laps {
        Laps {
            on: std::env::var_os("JIXIAO_PROFILE").is_some(),
            last: Instant::now(),
        }
    }

    pub fn lap(&mut self, what: &str) {
        if self.on {
            eprintln!("  {what:<28} {:.3} s", self.last.elapsed().as_secs_f64());
        }
        self.last = Instant::now();
    }
}
