// `zksso-prover selftest`: the field multiplication the prover was built with (MULX/ADX assembly where the
// build machine has it) against the portable C++ one, on edge values and a deterministic pseudo-random
// stream, for both BN254 fields. A wrong carry in the assembly would make every proof wrong (the
// self-verification would refuse them all); this names the cause directly.
#pragma once
#include <cstdint>
#include <string>

#include "field.hpp"

namespace zk {

struct SelfTestResult {
  bool ok;
  uint64_t checked;
  std::string failure;  // empty when ok
};

inline const char *fieldMulKind() {
#if defined(__x86_64__) && defined(__ADX__) && defined(__BMI2__)
  return "adx";
#else
  return "portable";
#endif
}

namespace detail {

inline uint64_t splitmix64(uint64_t &state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

template <class P>
bool checkField(const char *name, uint64_t rounds, uint64_t &checked, std::string &failure) {
  using F = Fp<P>;
  uint64_t state = 0x5eed;
  // A canonical element: random limbs, the top one masked below the modulus's, so values up to MOD - 1
  // and full-width lower limbs both occur.
  auto random = [&]() {
    F x;
    for (int i = 0; i < 4; i++) x.v[i] = splitmix64(state);
    x.v[3] %= P::MOD[3] + 1;
    if (!F::lessThanMod(x.v)) x.v[3] -= 1;
    return x;
  };
  F edges[6] = {F::zero(), F::one(), F::zero(), F::zero(), F::zero(), F::zero()};
  edges[2].v[0] = 1;  // the integer 1 (not Montgomery one)
  for (int i = 0; i < 4; i++) edges[3].v[i] = P::MOD[i];
  edges[3].v[0] -= 1;  // MOD - 1
  edges[4] = edges[3];
  edges[4].v[0] -= 1;  // MOD - 2
  edges[5].v[3] = P::MOD[3];  // a top limb equal to the modulus's, the rest zero
  auto check = [&](const F &a, const F &b) {
    F got = a * b, want = F::mulPortable(a, b);
    checked++;
    if (got != want || !F::lessThanMod(got.v)) {
      failure = std::string(name) + " multiplication differs from the portable reference";
      return false;
    }
    return true;
  };
  for (const F &a : edges)
    for (const F &b : edges)
      if (!check(a, b)) return false;
  F chain = random();
  for (uint64_t k = 0; k < rounds; k++) {
    F a = random(), b = k % 3 == 0 ? edges[k % 6] : random();
    if (!check(a, b) || !check(chain, a)) return false;
    chain = chain * a + b;  // results fed back in: values the multiplication itself produces
  }
  return true;
}

}  // namespace detail

inline SelfTestResult selfTest(uint64_t rounds = 200000) {
  SelfTestResult r{true, 0, ""};
  r.ok = detail::checkField<FqParams>("Fq", rounds, r.checked, r.failure) &&
         detail::checkField<FrParams>("Fr", rounds, r.checked, r.failure);
  return r;
}

}  // namespace zk
