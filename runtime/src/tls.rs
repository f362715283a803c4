//! rustls's crypto provider, chosen by feature (README: "TLS"): reqwest is
//! built without one (`rustls-no-provider`), so that `ring` (feature
//! `tls-ring`, the default: no CMake, a fraction of the build time) can be
//! the provider instead of `aws-lc-rs` (feature `tls-aws-lc-rs`, reqwest's
//! own default, which then serves as its fallback).

#[cfg(not(any(feature = "tls-ring", feature = "tls-aws-lc-rs")))]
compile_error!(
    "client-runtime needs a TLS crypto provider: enable the feature `tls-ring` (the default) or `tls-aws-lc-rs`"
);

/// Makes `ring` the process's rustls provider unless one is installed
/// already (by the application, or an earlier call): reqwest uses the
/// installed provider, and would otherwise have none. With only
/// `tls-aws-lc-rs`, reqwest uses `aws-lc-rs` by itself.
pub(crate) fn install_provider() {
    #[cfg(feature = "tls-ring")]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race to another installer is fine: a provider is installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

#[cfg(all(test, feature = "tls-ring"))]
mod tests {
    #[test]
    fn a_provider_is_installed_before_a_client_is_built() {
        super::install_provider();
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
        let client = crate::HttpSettings::default().client_builder().build();
        assert!(client.is_ok(), "{client:?}");
    }
}
