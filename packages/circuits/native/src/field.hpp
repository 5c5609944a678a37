// BN254 prime fields in 4x64-bit Montgomery form (R = 2^256), the same representation snarkjs stores in a
// .zkey, so points are used in place. Multiplication is CIOS with the "no carry" shortcut (valid because
// both moduli leave the top bit of the last limb free).
#pragma once
#include <cstdint>
#include <cstring>
#include <immintrin.h>

#define ZK_INLINE inline __attribute__((always_inline))

namespace zk {

using u64 = uint64_t;
using u128 = unsigned __int128;
// A limb that may sit at any 4-byte boundary: zkey sections start 4-byte aligned (12-byte section headers)
// and points are used in place in the mapped file, so field elements must not claim 8-byte alignment.
typedef u64 u64a4 __attribute__((aligned(4)));

struct FqParams {
  static constexpr u64 MOD[4] = {0x3c208c16d87cfd47ULL, 0x97816a916871ca8dULL, 0xb85045b68181585dULL,
                                 0x30644e72e131a029ULL};
  static constexpr u64 INV = 0x87d20782e4866389ULL;
  static constexpr u64 R2[4] = {0xf32cfc5b538afa89ULL, 0xb5e71911d44501fbULL, 0x47ab1eff0a417ff6ULL,
                                0x6d89f71cab8351fULL};
  static constexpr u64 ONE[4] = {0xd35d438dc58f0d9dULL, 0xa78eb28f5c70b3dULL, 0x666ea36f7879462cULL,
                                 0xe0a77c19a07df2fULL};
};

struct FrParams {
  static constexpr u64 MOD[4] = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL,
                                 0x30644e72e131a029ULL};
  static constexpr u64 INV = 0xc2e1f593efffffffULL;
  static constexpr u64 R2[4] = {0x1bb8e645ae216da7ULL, 0x53fe3ab1e35c59e3ULL, 0x8c49833d53bb8085ULL,
                                0x216d0b17f4e44a5ULL};
  static constexpr u64 ONE[4] = {0xac96341c4ffffffbULL, 0x36fc76959f60cd29ULL, 0x666ea36f7879462eULL,
                                 0xe0a77c19a07df2fULL};
};

template <class P>
struct Fp {
  u64a4 v[4];

  static inline Fp zero() { return Fp{{0, 0, 0, 0}}; }
  static inline Fp one() { return Fp{{P::ONE[0], P::ONE[1], P::ONE[2], P::ONE[3]}}; }
  static inline Fp raw(const u64a4 *limbs) {
    Fp r;
    std::memcpy(r.v, limbs, 32);
    return r;
  }
  inline bool isZero() const { return (v[0] | v[1] | v[2] | v[3]) == 0; }
  inline bool operator==(const Fp &o) const {
    return ((v[0] ^ o.v[0]) | (v[1] ^ o.v[1]) | (v[2] ^ o.v[2]) | (v[3] ^ o.v[3])) == 0;
  }
  inline bool operator!=(const Fp &o) const { return !(*this == o); }

  // True when the limbs (read as an integer) are below the modulus.
  static inline bool lessThanMod(const u64a4 *a) {
    for (int i = 3; i >= 0; i--) {
      if (a[i] < P::MOD[i]) return true;
      if (a[i] > P::MOD[i]) return false;
    }
    return false;
  }

  // t -= MOD when t >= MOD (t < 2 MOD), without a branch (the outcome is unpredictable).
  static ZK_INLINE void subMod(u64a4 *t) {
    unsigned long long r0, r1, r2, r3;
    unsigned char b = _subborrow_u64(0, t[0], P::MOD[0], &r0);
    b = _subborrow_u64(b, t[1], P::MOD[1], &r1);
    b = _subborrow_u64(b, t[2], P::MOD[2], &r2);
    b = _subborrow_u64(b, t[3], P::MOD[3], &r3);
    u64 keep = 0 - (u64)b;  // all ones: t < MOD, keep t
    t[0] = (t[0] & keep) | (r0 & ~keep);
    t[1] = (t[1] & keep) | (r1 & ~keep);
    t[2] = (t[2] & keep) | (r2 & ~keep);
    t[3] = (t[3] & keep) | (r3 & ~keep);
  }

  friend ZK_INLINE Fp operator+(const Fp &a, const Fp &b) {
    Fp r;
    unsigned long long r0, r1, r2, r3;
    unsigned char c = _addcarry_u64(0, a.v[0], b.v[0], &r0);
    c = _addcarry_u64(c, a.v[1], b.v[1], &r1);
    c = _addcarry_u64(c, a.v[2], b.v[2], &r2);
    _addcarry_u64(c, a.v[3], b.v[3], &r3);  // no carry out: both < MOD < 2^254
    r.v[0] = r0;
    r.v[1] = r1;
    r.v[2] = r2;
    r.v[3] = r3;
    subMod(r.v);
    return r;
  }
  friend ZK_INLINE Fp operator-(const Fp &a, const Fp &b) {
    Fp r;
    unsigned long long r0, r1, r2, r3;
    unsigned char br = _subborrow_u64(0, a.v[0], b.v[0], &r0);
    br = _subborrow_u64(br, a.v[1], b.v[1], &r1);
    br = _subborrow_u64(br, a.v[2], b.v[2], &r2);
    br = _subborrow_u64(br, a.v[3], b.v[3], &r3);
    u64 mask = 0 - (u64)br;  // add MOD back when the difference went negative
    unsigned char c = _addcarry_u64(0, r0, P::MOD[0] & mask, &r0);
    c = _addcarry_u64(c, r1, P::MOD[1] & mask, &r1);
    c = _addcarry_u64(c, r2, P::MOD[2] & mask, &r2);
    _addcarry_u64(c, r3, P::MOD[3] & mask, &r3);
    r.v[0] = r0;
    r.v[1] = r1;
    r.v[2] = r2;
    r.v[3] = r3;
    return r;
  }
  ZK_INLINE Fp neg() const { return zero() - *this; }
  ZK_INLINE Fp dbl() const { return *this + *this; }

  static ZK_INLINE Fp mulPortable(const Fp &a, const Fp &b) {
    u64 t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    const u64 q0 = P::MOD[0], q1 = P::MOD[1], q2 = P::MOD[2], q3 = P::MOD[3];
#define ZK_CIOS_ROUND(bi)                                          \
  {                                                                \
    u128 x = (u128)a.v[0] * (bi) + t0;                             \
    u64 A = (u64)(x >> 64);                                        \
    t0 = (u64)x;                                                   \
    u64 m = t0 * P::INV;                                           \
    u128 y = (u128)m * q0 + t0;                                    \
    u64 C = (u64)(y >> 64);                                        \
    x = (u128)a.v[1] * (bi) + t1 + A;                              \
    A = (u64)(x >> 64);                                            \
    y = (u128)m * q1 + (u64)x + C;                                 \
    C = (u64)(y >> 64);                                            \
    t0 = (u64)y;                                                   \
    x = (u128)a.v[2] * (bi) + t2 + A;                              \
    A = (u64)(x >> 64);                                            \
    y = (u128)m * q2 + (u64)x + C;                                 \
    C = (u64)(y >> 64);                                            \
    t1 = (u64)y;                                                   \
    x = (u128)a.v[3] * (bi) + t3 + A;                              \
    A = (u64)(x >> 64);                                            \
    y = (u128)m * q3 + (u64)x + C;                                 \
    C = (u64)(y >> 64);                                            \
    t2 = (u64)y;                                                   \
    t3 = C + A;                                                    \
  }
    ZK_CIOS_ROUND(b.v[0])
    ZK_CIOS_ROUND(b.v[1])
    ZK_CIOS_ROUND(b.v[2])
    ZK_CIOS_ROUND(b.v[3])
#undef ZK_CIOS_ROUND
    Fp r{{t0, t1, t2, t3}};
    subMod(r.v);
    return r;
  }
#if defined(__x86_64__) && defined(__ADX__) && defined(__BMI2__)
  // The same CIOS rounds with MULX and two independent carry chains (ADCX: CF, ADOX: OF), so the
  // additions of each row overlap instead of queuing on one flag: ~1.4x the portable form's speed (GCC
  // does not emit ADCX/ADOX from intrinsics). Each round i: t += a * b[i] (t4 takes the top word), then
  // m = t0 * INV, t += m * q, which zeroes t0; the five registers rotate by one per round instead of
  // shifting, so the zeroed t0 is the next round's empty top word.
  static ZK_INLINE Fp mulAdx(const Fp &a, const Fp &b) {
    u64 r0, r1, r2, r3, r4, lo, hi, zero, m;
    const u64 *pa = a.v, *pb = b.v, *pq = P::MOD;
    const u64 inv = P::INV;
#define ZK_ADX_ROW(T0, T1, T2, T3, T4, SRC)          \
  "mulxq 0(" SRC "), %[lo], %[hi]\n\t"              \
  "adoxq %[lo], " T0 "\n\t"                         \
  "adcxq %[hi], " T1 "\n\t"                         \
  "mulxq 8(" SRC "), %[lo], %[hi]\n\t"              \
  "adoxq %[lo], " T1 "\n\t"                         \
  "adcxq %[hi], " T2 "\n\t"                         \
  "mulxq 16(" SRC "), %[lo], %[hi]\n\t"             \
  "adoxq %[lo], " T2 "\n\t"                         \
  "adcxq %[hi], " T3 "\n\t"                         \
  "mulxq 24(" SRC "), %[lo], %[hi]\n\t"             \
  "adoxq %[lo], " T3 "\n\t"                         \
  "adcxq %[hi], " T4 "\n\t"                         \
  "adoxq %[zero], " T4 "\n\t"
#define ZK_ADX_ROUND(I, T0, T1, T2, T3, T4)                    \
  "movq " #I "(%[pb]), %%rdx\n\t"                             \
  "xorl %k[zero], %k[zero]\n\t" /* zero = 0, CF = OF = 0 */   \
  ZK_ADX_ROW(T0, T1, T2, T3, T4, "%[pa]")                      \
  "movq " T0 ", %%rdx\n\t"                                    \
  "imulq %[inv], %%rdx\n\t" /* m = t0 * INV mod 2^64 */       \
  "xorl %k[zero], %k[zero]\n\t"                               \
  ZK_ADX_ROW(T0, T1, T2, T3, T4, "%[pq]")
    __asm__(
        "xorl %k[r0], %k[r0]\n\t"
        "xorl %k[r1], %k[r1]\n\t"
        "xorl %k[r2], %k[r2]\n\t"
        "xorl %k[r3], %k[r3]\n\t"
        "xorl %k[r4], %k[r4]\n\t"
        ZK_ADX_ROUND(0, "%[r0]", "%[r1]", "%[r2]", "%[r3]", "%[r4]")
        ZK_ADX_ROUND(8, "%[r1]", "%[r2]", "%[r3]", "%[r4]", "%[r0]")
        ZK_ADX_ROUND(16, "%[r2]", "%[r3]", "%[r4]", "%[r0]", "%[r1]")
        ZK_ADX_ROUND(24, "%[r3]", "%[r4]", "%[r0]", "%[r1]", "%[r2]")
        : [r0] "=&r"(r0), [r1] "=&r"(r1), [r2] "=&r"(r2), [r3] "=&r"(r3), [r4] "=&r"(r4), [lo] "=&r"(lo),
          [hi] "=&r"(hi), [zero] "=&r"(zero), "=&d"(m)
        : [pa] "r"(pa), [pb] "r"(pb), [pq] "r"(pq), [inv] "m"(inv), "m"(*(const u64(*)[4])pa),
          "m"(*(const u64(*)[4])pb), "m"(*(const u64(*)[4])pq)
        : "cc");
#undef ZK_ADX_ROUND
#undef ZK_ADX_ROW
    (void)m;
    Fp r;
    r.v[0] = r4;
    r.v[1] = r0;
    r.v[2] = r1;
    r.v[3] = r2;
    subMod(r.v);
    return r;
  }
  friend ZK_INLINE Fp operator*(const Fp &a, const Fp &b) { return mulAdx(a, b); }
#else
  friend ZK_INLINE Fp operator*(const Fp &a, const Fp &b) { return mulPortable(a, b); }
#endif
  ZK_INLINE Fp sqr() const { return *this * *this; }

  // x^e for a little-endian 4-limb exponent.
  inline Fp pow(const u64a4 *e) const {
    Fp r = one(), b = *this;
    for (int i = 0; i < 4; i++) {
      u64 w = e[i];
      for (int j = 0; j < 64; j++) {
        if (w & 1) r = r * b;
        b = b.sqr();
        w >>= 1;
      }
    }
    return r;
  }
  inline Fp inv() const {
    u64 e[4] = {P::MOD[0] - 2, P::MOD[1], P::MOD[2], P::MOD[3]};
    return pow(e);
  }
  // From a canonical integer (limbs < MOD) to Montgomery form, and back.
  static inline Fp fromInt(const u64a4 *limbs) { return raw(limbs) * raw(P::R2); }
  inline Fp toInt() const {
    static const u64 oneInt[4] = {1, 0, 0, 0};
    return *this * raw(oneInt);
  }
  static inline Fp fromU64(u64 x) {
    u64 l[4] = {x, 0, 0, 0};
    return fromInt(l);
  }
};

using Fq = Fp<FqParams>;
using Fr = Fp<FrParams>;

// Fq2 = Fq[u] / (u^2 + 1).
struct Fq2 {
  Fq c0, c1;
  static inline Fq2 zero() { return Fq2{Fq::zero(), Fq::zero()}; }
  static inline Fq2 one() { return Fq2{Fq::one(), Fq::zero()}; }
  inline bool isZero() const { return c0.isZero() && c1.isZero(); }
  inline bool operator==(const Fq2 &o) const { return c0 == o.c0 && c1 == o.c1; }
  inline bool operator!=(const Fq2 &o) const { return !(*this == o); }
  friend ZK_INLINE Fq2 operator+(const Fq2 &a, const Fq2 &b) { return Fq2{a.c0 + b.c0, a.c1 + b.c1}; }
  friend ZK_INLINE Fq2 operator-(const Fq2 &a, const Fq2 &b) { return Fq2{a.c0 - b.c0, a.c1 - b.c1}; }
  friend ZK_INLINE Fq2 operator*(const Fq2 &a, const Fq2 &b) {
    Fq t0 = a.c0 * b.c0, t1 = a.c1 * b.c1;
    Fq m = (a.c0 + a.c1) * (b.c0 + b.c1);
    return Fq2{t0 - t1, m - t0 - t1};
  }
  ZK_INLINE Fq2 sqr() const {
    Fq ab = c0 * c1;
    return Fq2{(c0 + c1) * (c0 - c1), ab + ab};
  }
  inline Fq2 neg() const { return Fq2{c0.neg(), c1.neg()}; }
  inline Fq2 dbl() const { return *this + *this; }
  inline Fq2 inv() const {
    Fq n = (c0.sqr() + c1.sqr()).inv();
    return Fq2{c0 * n, (c1 * n).neg()};
  }
};

}  // namespace zk
