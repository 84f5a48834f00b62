// GNU MP, used only as an independent oracle in tests (TestSupport).
#ifndef ZKVM_CGMP_SHIM_H
#define ZKVM_CGMP_SHIM_H
#include <gmp.h>
#endif
