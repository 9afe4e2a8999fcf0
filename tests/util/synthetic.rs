//! Synthetic catalogues of any size, and runs of the binary through std::process so a
//! test can spawn, time and kill them (used by the reliability tests).

use super::*;

/// The generator of `examples/synth.rs` (included by `tests.rs`) under its default seed,
/// with the real sectors: synthetic record `n` is `synth().record(n)`, numbered from 1.
pub fn synth() -> &'static Generator {
    static GENERATOR: OnceLock<Generator> = OnceLock::new();
    GENERATOR.get_or_init(|| {
        Generator::new(crate::synth::DEFAULT_SEED, sector_slugs()).expect("the synth generator")
    })
}

/// The id of synthetic record `n`.
pub fn synth_id(n: usize) -> String {
    crate::synth::id(n as u64)
}

/// Writes synthetic records `1..=n` into the catalogue; returns their ids.
pub fn generate_records(cat: &Catalogue, n: usize) -> Vec<String> {
    (1..=n)
        .map(|i| {
            cat.add_synth(i);
            synth_id(i)
        })
        .collect()
}

/// The ids, sorted, of the synthetic records `1..=n` that carry [`SYNTH_MARKER`].
pub fn synth_marked_ids(n: usize) -> Vec<String> {
    (1..=n)
        .filter(|&i| (i as u64).is_multiple_of(crate::synth::MARK_EVERY))
        .map(synth_id)
        .collect()
}

impl Catalogue {
    /// Writes synthetic record `n` (see [`synth`]); returns its path.
    pub fn add_synth(&self, n: usize) -> PathBuf {
        self.write_record(&synth_id(n), &synth().record(n as u64).to_toml())
    }
}

/// The built `migdev` binary.
pub fn migdev_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_migdev"))
}

/// Sets up a std command like [`TestCommand`] does: in `cwd`, without the environment
/// variables that would change migdev's behaviour, stdout and stderr piped.
pub fn prepare_std(cmd: &mut std::process::Command, cwd: &Path) {
    use std::process::Stdio;
    cmd.current_dir(cwd)
        .env_remove("MIGDEV_DATA")
        .env_remove("MIGDEV_INDEX")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
}

impl Catalogue {
    /// `migdev ARGS` in the root as a plain std command (stdout and stderr piped), for
    /// tests that spawn, time or kill it.
    pub fn std_command(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(migdev_bin());
        prepare_std(&mut cmd, &self.root);
        cmd.args(args);
        cmd
    }

    /// Starts `migdev ARGS` in the root without waiting for it.
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        self.std_command(args).spawn().expect("start migdev")
    }

    /// Runs `migdev ARGS` through std::process (see [`Catalogue::std_command`]), failing
    /// the test if it runs for more than two minutes.
    pub fn run_std(&self, args: &[&str]) -> Output {
        Output::from_std(wait_output(self.spawn(args), Duration::from_secs(120)))
    }
}

/// Waits for a child started with piped stdout and stderr, reading both as it runs; kills
/// it and panics after `timeout`, so a hang fails the test instead of stalling it.
pub fn wait_output(mut child: std::process::Child, timeout: Duration) -> std::process::Output {
    use std::io::Read;
    fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut buf);
            }
            buf
        })
    }
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let deadline = std::time::Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for migdev") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("migdev (pid {}) ran for more than {timeout:?}", child.id());
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    std::process::Output {
        status,
        stdout: stdout.join().expect("read stdout"),
        stderr: stderr.join().expect("read stderr"),
    }
}

impl Output {
    /// Converts what a std::process run printed; panics if it was killed by a signal.
    #[track_caller]
    pub fn from_std(out: std::process::Output) -> Output {
        Output {
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
            code: out
                .status
                .code()
                .unwrap_or_else(|| panic!("migdev was killed by a signal: {:?}", out.status)),
        }
    }
}
