//! `major.minor.patch` crate versions and the bump a change class asks for.

use std::fmt;
use std::str::FromStr;

use super::Class;

/// A crate version without pre-release or build metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Incompatible changes (from 1.0).
    pub major: u64,
    /// New API (from 1.0); incompatible changes before 1.0.
    pub minor: u64,
    /// Fixes (from 1.0); new API before 1.0.
    pub patch: u64,
}

/// A version that is not `major.minor.patch`.
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a version of the form major.minor.patch (such as 0.1.0)")]
pub struct VersionError(pub String);

impl Version {
    /// Every client crate's first version, 0.1.0.
    pub const INITIAL: Version = Version {
        major: 0,
        minor: 1,
        patch: 0,
    };

    /// The smallest version a change of `class` after `self` must have, by
    /// Cargo's rules: before 1.0 a breaking change bumps the minor version
    /// and an additive one the patch; from 1.0, major and minor. A
    /// wire-breaking change counts as breaking. `None` keeps the version.
    pub fn bump(self, class: Class) -> Version {
        let breaking = matches!(class, Class::Breaking | Class::WireBreaking);
        let additive = class == Class::Additive;
        match (self.major, breaking, additive) {
            (0, true, _) => Version {
                minor: self.minor + 1,
                patch: 0,
                ..self
            },
            (0, false, true) => Version {
                patch: self.patch + 1,
                ..self
            },
            (major, true, _) => Version {
                major: major + 1,
                minor: 0,
                patch: 0,
            },
            (_, false, true) => Version {
                minor: self.minor + 1,
                patch: 0,
                ..self
            },
            (_, false, false) => self,
        }
    }
}

impl FromStr for Version {
    type Err = VersionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = || VersionError(text.to_string());
        let mut parts = text.trim().split('.').map(|p| {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                Err(fail())
            } else {
                p.parse::<u64>().map_err(|_| fail())
            }
        });
        let (Some(major), Some(minor), Some(patch), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(fail());
        };
        Ok(Version {
            major: major?,
            minor: minor?,
            patch: patch?,
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        text.parse().expect("a version")
    }

    #[test]
    fn bumps_follow_cargo_rules_before_and_after_1_0() {
        assert_eq!(v("0.1.0").bump(Class::Breaking), v("0.2.0"));
        assert_eq!(v("0.1.3").bump(Class::WireBreaking), v("0.2.0"));
        assert_eq!(v("0.1.0").bump(Class::Additive), v("0.1.1"));
        assert_eq!(v("0.1.0").bump(Class::None), v("0.1.0"));
        assert_eq!(v("1.2.3").bump(Class::Breaking), v("2.0.0"));
        assert_eq!(v("1.2.3").bump(Class::Additive), v("1.3.0"));
        assert_eq!(v("1.2.3").bump(Class::None), v("1.2.3"));
    }

    #[test]
    fn only_three_numbers_parse() {
        assert_eq!(v(" 0.10.2 ").to_string(), "0.10.2");
        for bad in ["", "1", "1.2", "1.2.3.4", "1.x.3", "1.2.3-beta", "-1.2.3"] {
            assert!(bad.parse::<Version>().is_err(), "{bad}");
        }
    }
}
