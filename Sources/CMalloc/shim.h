// glibc's allocator tuning (mallopt), part of libc itself.
#ifndef ZKVM_CMALLOC_SHIM_H
#define ZKVM_CMALLOC_SHIM_H
#include <malloc.h>
#endif
