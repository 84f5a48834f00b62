// C references for `zkvm bench` (Tools/bench.sh compiles this with
// gcc -O3 -march=native): the same Goldilocks multiplication loop and the
// same textbook radix-2 NTT as the Swift benchmark, timed the same way
// (median of repetitions over random inputs). Prints one JSON object.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define P 0xFFFFFFFF00000001ULL
#define EPS 0xFFFFFFFFULL

// The same formulas as Sources/Field/Goldilocks.swift (carries taken from
// the high word of 128-bit sums, the 2^-32-likely borrow behind a hint).
static inline uint64_t add(uint64_t a, uint64_t b) {
    unsigned __int128 s = (unsigned __int128)a + b + EPS;
    uint64_t hi = (uint64_t)(s >> 64);
    return (uint64_t)s + hi * EPS - EPS;
}
static inline uint64_t sub(uint64_t a, uint64_t b) { return add(a, P - b); }
static inline uint64_t reduce128(unsigned __int128 x) {
    uint64_t lo = (uint64_t)x, hi = (uint64_t)(x >> 64);
    uint64_t h1 = hi >> 32, h0 = hi & EPS;
    uint64_t t0 = lo - h1;
    if (__builtin_expect(lo < h1, 0)) t0 -= EPS;
    unsigned __int128 s = (unsigned __int128)t0 + h0 * EPS + EPS;
    uint64_t r = (uint64_t)s + (uint64_t)(s >> 64) * EPS - EPS;
    return r >= P ? r - P : r;
}
static inline uint64_t mul(uint64_t a, uint64_t b) { return reduce128((unsigned __int128)a * b); }

static uint64_t state = 0x1234567;
static uint64_t next(void) {
    state += 0x9E3779B97F4A7C15ULL;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static uint64_t element(void) { uint64_t x; do { x = next(); } while (x >= P); return x; }
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static int cmp(const void *a, const void *b) { double x = *(double *)a, y = *(double *)b; return (x > y) - (x < y); }

static uint64_t power(uint64_t b, uint64_t e) { uint64_t r = 1; while (e) { if (e & 1) r = mul(r, b); b = mul(b, b); e >>= 1; } return r; }

int main(int argc, char **argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    const size_t n = 1 << 20;
    uint64_t *a = malloc(n * 8), *b = malloc(n * 8), *c = malloc(n * 8);
    for (size_t i = 0; i < n; i++) { a[i] = element(); b[i] = element(); }
    double t[64];
    for (int r = 0; r <= reps; r++) {
        double s = now();
        for (size_t i = 0; i < n; i++) c[i] = mul(a[i], b[i]);
        t[r] = now() - s;
        __asm__ volatile("" ::"r"(c) : "memory");
    }
    qsort(t + 1, reps, sizeof(double), cmp);
    double mul_ns = t[1 + reps / 2] * 1e9 / n;

    // Radix-2 DIF NTT 2^20 with per-layer twiddles roots[m + j] = w_{2m}^j.
    uint64_t *roots = malloc(n * 8), *x = malloc(n * 8);
    const uint64_t w32 = 1753635133440165772ULL;  // primitive 2^32-th root
    for (size_t m = 1; m < n; m <<= 1) {
        int logm = __builtin_ctzll(m) + 1;  // order 2m
        uint64_t w = w32;
        for (int k = logm; k < 32; k++) w = mul(w, w);
        uint64_t acc = 1;
        for (size_t j = 0; j < m; j++) { roots[m + j] = acc; acc = mul(acc, w); }
    }
    for (int r = 0; r <= reps; r++) {
        for (size_t i = 0; i < n; i++) x[i] = a[i];
        double s = now();
        for (size_t half = n / 2; half >= 1; half >>= 1)
            for (size_t st = 0; st < n; st += 2 * half)
                for (size_t j = 0; j < half; j++) {
                    uint64_t u = x[st + j], v = x[st + j + half];
                    x[st + j] = add(u, v);
                    x[st + j + half] = mul(sub(u, v), roots[half + j]);
                }
        t[r] = now() - s;
        __asm__ volatile("" ::"r"(x) : "memory");
    }
    qsort(t + 1, reps, sizeof(double), cmp);
    double ntt_ms = t[1 + reps / 2] * 1e3;
    (void)power;
    printf("{\"c.field.mul_ns\": %.4f, \"c.ntt.radix2.2^20_ms\": %.3f, \"checksum\": %llu}\n",
           mul_ns, ntt_ms, (unsigned long long)(c[n / 3] ^ x[n / 5]));
    return 0;
}
