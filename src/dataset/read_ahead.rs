//! Indicator batches read and typed on a thread of their own, one batch ahead of the caller:
//! while a batch is checked and fed to the benchmarks, the next is read; and the first is
//! read while the evaluations are still being checked (at 10 M rows that phase left most of
//! a core idle). At most two batches are held: the one being used and the one read ahead.

use std::sync::mpsc::{sync_channel, Receiver};
use std::thread::JoinHandle;

use polars::prelude::DataFrame;

use super::load::IndicatorBatches;
use super::Finding;
use crate::error::{JxError, Result};

/// A batch with the findings its typing raised.
type Read = Result<Option<(DataFrame, Vec<Finding>)>>;

pub struct ReadAhead {
    rx: Option<Receiver<Read>>,
    worker: Option<JoinHandle<IndicatorBatches>>,
    done: bool,
}

impl ReadAhead {
    /// Start reading `batches` on a new thread.
    pub fn start(mut batches: IndicatorBatches) -> ReadAhead {
        // A rendezvous channel: the worker holds the batch it has read until it is taken.
        let (tx, rx) = sync_channel::<Read>(0);
        let worker = std::thread::spawn(move || {
            loop {
                let mut findings = Vec::new();
                let read = batches.next_batch(&mut findings);
                let last = !matches!(read, Ok(Some(_)));
                let sent = tx.send(read.map(|b| b.map(|b| (b, findings))));
                if last || sent.is_err() {
                    break;
                }
            }
            batches
        });
        ReadAhead {
            rx: Some(rx),
            worker: Some(worker),
            done: false,
        }
    }

    /// The next batch (its findings added to `findings`, in reading order), or None after the
    /// last.
    pub fn next_batch(&mut self, findings: &mut Vec<Finding>) -> Result<Option<DataFrame>> {
        if self.done {
            return Ok(None);
        }
        let read = match self.rx.as_ref().map(|rx| rx.recv()) {
            Some(Ok(read)) => read,
            _ => Err(JxError::internal("the indicator reader stopped")),
        };
        match read {
            Ok(Some((batch, found))) => {
                findings.extend(found);
                Ok(Some(batch))
            }
            other => {
                self.done = true;
                other.map(|_| None)
            }
        }
    }

    /// Wait for the reader after the last batch; returns the batches' state (rows read, the
    /// input file's account).
    pub fn finish(mut self) -> Result<IndicatorBatches> {
        self.rx = None;
        self.worker
            .take()
            .ok_or_else(|| JxError::internal("the indicator reader is gone"))?
            .join()
            .map_err(|_| JxError::internal("the indicator reader panicked"))
    }
}

impl Drop for ReadAhead {
    /// Abandoned early (an error): the reader stops at its next batch.
    fn drop(&mut self) {
        self.rx = None;
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::load::load_evaluations;

    fn synthetic() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/synthetic")
    }

    /// Read ahead, the batches, their order and the rows counted are those read directly.
    #[test]
    fn same_batches_as_reading_directly() {
        let (_, _, mut direct) = load_evaluations(&synthetic(), 997).unwrap();
        let (mut found_direct, mut expected) = (Vec::new(), Vec::new());
        while let Some(b) = direct.next_batch(&mut found_direct).unwrap() {
            expected.push(b);
        }
        assert!(expected.len() > 2, "several batches: {}", expected.len());

        let (_, _, batches) = load_evaluations(&synthetic(), 997).unwrap();
        let mut ahead = ReadAhead::start(batches);
        let mut found = Vec::new();
        let mut got = Vec::new();
        while let Some(b) = ahead.next_batch(&mut found).unwrap() {
            got.push(b);
        }
        assert!(ahead.next_batch(&mut found).unwrap().is_none());
        assert_eq!(got.len(), expected.len());
        for (a, b) in got.iter().zip(&expected) {
            assert!(a.equals_missing(b));
        }
        assert_eq!(found.len(), found_direct.len());
        assert_eq!(ahead.finish().unwrap().rows_read(), direct.rows_read());
    }

    /// Dropped after one batch (the caller stopped on an error), the reader stops too.
    #[test]
    fn abandoned_reader_stops() {
        let (_, _, batches) = load_evaluations(&synthetic(), 500).unwrap();
        let mut ahead = ReadAhead::start(batches);
        assert!(ahead.next_batch(&mut Vec::new()).unwrap().is_some());
        drop(ahead);
    }
}
