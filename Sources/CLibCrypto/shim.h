// OpenSSL's libcrypto: SHA-256 (SHA-NI accelerated where the CPU has it),
// the system CSPRNG (RAND_bytes) and AES-256-CTR (EVP) for keyed random streams.
// The low-level SHA256_* interface is deprecated in OpenSSL 3 in favour of EVP,
// but it is the only one without a per-call allocation; see Spec/hashing.md.
#ifndef ZKVM_CLIBCRYPTO_SHIM_H
#define ZKVM_CLIBCRYPTO_SHIM_H
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
#include <openssl/rand.h>
#include <openssl/evp.h>
#endif
