// The Groth16 prover over a snarkjs zkey, following snarkjs's groth16_prove.js step by step:
// a, b = A·w, B·w on the domain (section 4's coefficients are stored as c·R², so one Montgomery product
// with the canonical witness value gives c·w in Montgomery form), c = a∘b; each of a, b, c moved to the
// coset inc·<w> (iFFT, × inc^i / n, FFT); h = a∘b − c there (the key's H points absorb 1/Z); then the
// MSMs and the blinding with random r, s.
#pragma once
#include <sys/random.h>
#include <sys/resource.h>

#include <chrono>
#include <map>
#include <string>

#include "fft.hpp"
#include "files.hpp"
#include "msm.hpp"

namespace zk {

struct Timings {
  double loadMs = 0, witnessReadMs = 0, abcMs = 0, fftMs = 0, msmAMs = 0, msmB1Ms = 0, msmB2Ms = 0, msmCMs = 0,
         msmHMs = 0, finishMs = 0, totalMs = 0;
  size_t zeros = 0, ones = 0, others = 0;
};

struct Proof {
  G1A a, c;
  G2A b;
  std::vector<u64> publicSignals;  // nPublic canonical values, 4 limbs each
};

class Clock {
 public:
  Clock() : t_(std::chrono::steady_clock::now()) {}
  double lap() {
    auto now = std::chrono::steady_clock::now();
    double ms = std::chrono::duration<double, std::milli>(now - t_).count();
    t_ = now;
    return ms;
  }

 private:
  std::chrono::steady_clock::time_point t_;
};

// A uniformly random canonical scalar in [1, r) from the OS.
inline void randomScalar(u64 *out) {
  for (;;) {
    uint8_t buf[32];
    size_t got = 0;
    while (got < sizeof buf) {
      ssize_t n = getrandom(buf + got, sizeof buf - got, 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw ProverError("INTERNAL", "getrandom failed");
      }
      got += (size_t)n;
    }
    std::memcpy(out, buf, 32);
    out[3] &= 0x3fffffffffffffffULL;  // below 2^254, then rejection
    if (Fr::lessThanMod(out) && (out[0] | out[1] | out[2] | out[3]) != 0) return;
  }
}

class Prover {
 public:
  explicit Prover(int threads) : threads_(threads) {}

  const Zkey &zkey(const std::string &path, Timings &t) {
    Clock clock;
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT) throw ProverError("FILE_NOT_FOUND", "no such file: " + path);
      throw ProverError("ZKEY_INVALID", "cannot stat " + path + ": " + std::strerror(errno));
    }
    int64_t mtime = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    auto it = keys_.find(path);
    if (it != keys_.end()) {
      const MappedFile &f = *it->second->file;
      if (f.mtimeNs() == mtime && f.size() == (uint64_t)st.st_size && f.ino() == st.st_ino) return *it->second;
      keys_.erase(it);
    }
    auto z = loadZkey(path);
    const Zkey &ref = *z;
    keys_[path] = std::move(z);
    t.loadMs = clock.lap();
    return ref;
  }

  const Domain &domain(int log2n) {
    auto it = domains_.find(log2n);
    if (it != domains_.end()) return *it->second;
    auto d = std::make_unique<Domain>(log2n, threads_);
    const Domain &ref = *d;
    domains_[log2n] = std::move(d);
    return ref;
  }

  Proof prove(const std::string &zkeyPath, const std::string &wtnsPath, Timings &t) {
    Clock total, clock;
    const Zkey &z = zkey(zkeyPath, t);
    clock.lap();
    std::vector<u64> w = loadWitness(wtnsPath);
    size_t nWitness = w.size() / 4;
    if (nWitness != z.nVars)
      throw ProverError("WITNESS_MISMATCH", "the witness has " + std::to_string(nWitness) +
                                                " values but the proving key expects " + std::to_string(z.nVars) +
                                                " (a witness of another circuit, or a key for another circuit)");
    t.witnessReadMs = clock.lap();

    const Domain &dom = domain((int)z.log2Domain);
    t.loadMs += clock.lap();
    size_t n = z.domainSize;
    std::vector<Fr> a(n, Fr::zero()), b(n, Fr::zero()), c(n);
    // a and b are independent sums: one thread each.
    bool badCoef = false;
    parallelRun(std::min(2, threads_), [&](int th) {
      for (uint32_t k = 0; k < z.nCoefs; k++) {
        const uint8_t *e = z.coefs + size_t(k) * 44;
        uint32_t m, row, sig;
        std::memcpy(&m, e, 4);
        std::memcpy(&row, e + 4, 4);
        std::memcpy(&sig, e + 8, 4);
        if (m > 1 || row >= n || sig >= z.nVars) {
          badCoef = true;
          return;
        }
        if (threads_ > 1 && (int)m != th) continue;
        Fr v;
        std::memcpy(v.v, e + 12, 32);
        if (!Fr::lessThanMod(v.v)) {
          badCoef = true;
          return;
        }
        std::vector<Fr> &out = m == 0 ? a : b;
        out[row] = out[row] + v * Fr::raw(w.data() + 4 * size_t(sig));
      }
    });
    if (badCoef) throw ProverError("ZKEY_INVALID", "zkey " + zkeyPath + ": a coefficient is out of range");
    parallelRun(threads_, [&](int th) {
      for (size_t i = n * th / threads_; i < n * (th + 1) / threads_; i++) c[i] = a[i] * b[i];
    });
    t.abcMs = clock.lap();

    dom.toCoset(a.data());
    dom.toCoset(b.data());
    dom.toCoset(c.data());
    // h in canonical form, written over a (same size: 4 limbs).
    u64 *h = reinterpret_cast<u64 *>(a.data());
    parallelRun(threads_, [&](int th) {
      for (size_t i = n * th / threads_; i < n * (th + 1) / threads_; i++) {
        Fr v = (a[i] * b[i] - c[i]).toInt();
        std::memcpy(h + 4 * i, v.v, 32);
      }
    });
    std::vector<Fr>().swap(b);
    std::vector<Fr>().swap(c);
    t.fftMs = clock.lap();

    WitnessMsmStats stats;
    G1J pa = msmWitness<Fq>(z.A, w.data(), z.nVars, threads_, &stats);
    t.msmAMs = clock.lap();
    t.zeros = stats.zeros;
    t.ones = stats.ones;
    t.others = stats.others;
    G1J pb1 = msmWitness<Fq>(z.B1, w.data(), z.nVars, threads_);
    t.msmB1Ms = clock.lap();
    G2J pb = msmWitness<Fq2>(z.B2, w.data(), z.nVars, threads_);
    t.msmB2Ms = clock.lap();
    size_t nPriv = z.nVars - z.nPublic - 1;
    G1J pc = msmWitness<Fq>(z.C, w.data() + 4 * size_t(z.nPublic + 1), nPriv, threads_);
    t.msmCMs = clock.lap();
    G1J ph = msmPippenger<Fq>(z.H, h, nullptr, n, threads_, n >= (1u << 18) ? 16 : 0);
    std::vector<Fr>().swap(a);
    t.msmHMs = clock.lap();

    u64 r[4], s[4];
    randomScalar(r);
    randomScalar(s);
    Fr rs = (Fr::fromInt(r) * Fr::fromInt(s)).toInt();
    // -rs as a canonical integer (r - rs), for the last term of pi_c.
    u64 negRs[4] = {0, 0, 0, 0};
    if (!rs.isZero()) {
      u128 borrow = 0;
      for (int i = 0; i < 4; i++) {
        u128 dd = (u128)FrParams::MOD[i] - rs.v[i] - borrow;
        negRs[i] = (u64)dd;
        borrow = (dd >> 64) & 1;
      }
    }
    G1J delta1 = G1J::fromAffine(z.delta1);
    pa = pa.addMixed(z.alpha1).add(delta1.mulScalar(r));
    pb = pb.addMixed(z.beta2).add(G2J::fromAffine(z.delta2).mulScalar(s));
    pb1 = pb1.addMixed(z.beta1).add(delta1.mulScalar(s));
    pc = pc.add(ph).add(pa.mulScalar(s)).add(pb1.mulScalar(r)).add(delta1.mulScalar(negRs));

    Proof proof;
    proof.a = pa.toAffine();
    proof.b = pb.toAffine();
    proof.c = pc.toAffine();
    proof.publicSignals.assign(w.begin() + 4, w.begin() + 4 * (1 + size_t(z.nPublic)));
    t.finishMs = clock.lap();
    t.totalMs = total.lap();
    return proof;
  }

 private:
  int threads_;
  std::map<std::string, std::unique_ptr<Zkey>> keys_;
  std::map<int, std::unique_ptr<Domain>> domains_;
};

}  // namespace zk
