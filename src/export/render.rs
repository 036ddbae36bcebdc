//! Rendering DOT to SVG or PNG with the Graphviz `dot` program.
//!
//! Printing DOT needs no Graphviz; rendering does. When `dot` is not on PATH the error says how
//! to install it. Warnings Graphviz prints are returned to the caller, not swallowed.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::error::{Error, Result};

/// Whether the `dot` program can be run.
pub fn graphviz_available() -> bool {
    Command::new("dot")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What `dot` made, and anything it printed on stderr.
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub warnings: String,
}

/// Runs `dot -T<format>` on `dot_text`.
pub fn render(dot_text: &str, format: &str) -> Result<Rendered> {
    let mut child = Command::new("dot")
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::GraphvizMissing {
                    format: format.to_string(),
                }
            } else {
                Error::Graphviz {
                    format: format.to_string(),
                    message: e.to_string(),
                }
            }
        })?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = dot_text.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().map_err(|e| Error::Graphviz {
        format: format.to_string(),
        message: e.to_string(),
    })?;
    let written = writer.join().expect("writer thread does not panic");
    let warnings = String::from_utf8_lossy(&output.stderr).trim().to_string();
    if !output.status.success() {
        return Err(Error::Graphviz {
            format: format.to_string(),
            message: if warnings.is_empty() {
                format!("exit status {}", output.status)
            } else {
                warnings
            },
        });
    }
    if let Err(e) = written {
        return Err(Error::Graphviz {
            format: format.to_string(),
            message: format!("could not send the graph to dot: {e}"),
        });
    }
    Ok(Rendered {
        bytes: output.stdout,
        warnings,
    })
}
