// Zstandard, for compressed trace dumps (Debian libzstd-dev).
#ifndef ZKVM_CZSTD_SHIM_H
#define ZKVM_CZSTD_SHIM_H
#include <zstd.h>
#endif
