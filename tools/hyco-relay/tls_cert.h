// A self-signed certificate for `hyco-relay --tls` without --cert/--key:
// an EC P-256 key and a certificate for the namespace host (as DNS name or
// IP address in subjectAltName), written as PEM files.
#pragma once

#include <string>

#include "core/base/error.h"

namespace hyco::relay {

struct GeneratedCert {
    std::string dir;        ///< private temporary directory holding both files
    std::string cert_file;
    std::string key_file;
};

/// Generates the pair in a new mode-0700 temporary directory.
Result<GeneratedCert> generate_self_signed(const std::string& host);

/// Checks --cert/--key before lws sees them (lws only logs raw lines and
/// fails the whole context): each file readable, a PEM certificate and a
/// PEM private key, and the key belongs to the certificate. The error names
/// the file and the reason.
Status check_tls_files(const std::string& cert_file, const std::string& key_file);

/// Removes the files and directory created by generate_self_signed().
void remove_generated(const GeneratedCert& cert);

}  // namespace hyco::relay
