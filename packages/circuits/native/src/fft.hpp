// Radix-2 NTT over Fr (Montgomery form) with the roots snarkjs (ffjavascript) uses: w_n = 5^((r-1)/2^28)
// squared down to order n. forward/inverse pair without bit-reversal passes: the inverse transform is a
// decimation-in-frequency (natural in, bit-reversed out) and the forward one a decimation-in-time
// (bit-reversed in, natural out), so the coset shift in between works on bit-reversed coefficients.
// Stages whose blocks fit in cache run chunk by chunk; the larger ones are split across threads.
#pragma once
#include <cstdint>
#include <vector>

#include "field.hpp"
#include "parallel.hpp"

namespace zk {

inline uint32_t bitReverse(uint32_t x, int bits) {
  uint32_t r = 0;
  for (int i = 0; i < bits; i++) {
    r = (r << 1) | (x & 1);
    x >>= 1;
  }
  return r;
}

// The primitive 2^k-th root of unity of ffjavascript's Fr (k <= 28).
inline Fr rootOfUnity(int k) {
  // (r - 1) / 2^28
  static const u64 t[4] = {0x9b9709143e1f593fULL, 0x181585d2833e8487ULL, 0x131a029b85045b68ULL,
                           0x30644e72eULL};
  Fr w = Fr::fromU64(5).pow(t);
  for (int i = 28; i > k; i--) w = w.sqr();
  return w;
}

class Domain {
 public:
  Domain(int log2n, int nThreads) : log2n_(log2n), n_(size_t(1) << log2n), threads_(nThreads) {
    Fr w = rootOfUnity(log2n);
    Fr wi = w.inv();
    // Twiddles stage by stage, each stage's contiguous: stage s (blocks of 2^s) uses w^(j * n / 2^s) for
    // j < 2^(s-1), stored at [2^(s-1), 2^s). Reading them at a stride from one table of the n/2 powers of w
    // touched a new cache line (and, past 4 KB, a new page) at every butterfly of the small stages.
    tw_.resize(n_ > 1 ? n_ : 2);
    twInv_.resize(n_ > 1 ? n_ : 2);
    size_t half = n_ / 2;
    parallelRun(threads_, [&](int t) {
      size_t lo = half * t / threads_, hi = half * (t + 1) / threads_;
      u64 e[4] = {lo, 0, 0, 0};
      Fr a = w.pow(e), b = wi.pow(e);
      for (size_t i = lo; i < hi; i++) {
        tw_[half + i] = a;
        twInv_[half + i] = b;
        a = a * w;
        b = b * wi;
      }
    });
    for (int st = log2n_ - 1; st >= 1; st--) {
      size_t base = size_t(1) << (st - 1);
      for (size_t j = 0; j < base; j++) {
        tw_[base + j] = tw_[2 * base + 2 * j];
        twInv_[base + j] = twInv_[2 * base + 2 * j];
      }
    }
    // Coset shift by the 2n-th root (snarkjs: Fr.w[power + 1], or Fr.shift at the maximum order) and the
    // 1/n of the inverse transform, indexed in bit-reversed order.
    Fr inc = log2n < 28 ? rootOfUnity(log2n + 1) : Fr::fromU64(25);
    Fr nInv = Fr::fromU64(n_).inv();
    shift_.resize(n_);
    parallelRun(threads_, [&](int t) {
      size_t lo = n_ * t / threads_, hi = n_ * (t + 1) / threads_;
      u64 e[4] = {lo, 0, 0, 0};
      Fr a = inc.pow(e) * nInv;
      for (size_t i = lo; i < hi; i++) {
        shift_[bitReverse((uint32_t)i, log2n_)] = a;
        a = a * inc;
      }
    });
  }

  size_t size() const { return n_; }

  // Evaluations on the domain (natural order) -> evaluations on the coset inc * <w> (natural order).
  void toCoset(Fr *x) const {
    dif(x, twInv_);
    parallelRun(threads_, [&](int t) {
      size_t lo = n_ * t / threads_, hi = n_ * (t + 1) / threads_;
      for (size_t i = lo; i < hi; i++) x[i] = x[i] * shift_[i];
    });
    dit(x, tw_);
  }

 private:
  static constexpr int kChunkLog = 12;

  // Decimation in frequency: natural in, bit-reversed out.
  void dif(Fr *x, const std::vector<Fr> &tw) const {
    int chunkLog = std::min(kChunkLog, log2n_);
    for (int s = log2n_; s > chunkLog; s--) stageDif(x, tw, s, 0, n_ / 2, true);
    size_t chunk = size_t(1) << chunkLog, nChunks = n_ / chunk;
    parallelRun(threads_, [&](int t) {
      for (size_t c = nChunks * t / threads_; c < nChunks * (t + 1) / threads_; c++)
        for (int s = chunkLog; s >= 1; s--) stageDifRange(x + c * chunk, tw, s, chunk);
    });
  }

  // Decimation in time: bit-reversed in, natural out.
  void dit(Fr *x, const std::vector<Fr> &tw) const {
    int chunkLog = std::min(kChunkLog, log2n_);
    size_t chunk = size_t(1) << chunkLog, nChunks = n_ / chunk;
    parallelRun(threads_, [&](int t) {
      for (size_t c = nChunks * t / threads_; c < nChunks * (t + 1) / threads_; c++)
        for (int s = 1; s <= chunkLog; s++) stageDitRange(x + c * chunk, tw, s, chunk);
    });
    for (int s = chunkLog + 1; s <= log2n_; s++) stageDif(x, tw, s, 0, n_ / 2, false);
  }

  // One stage (block length 2^s) over the whole array, butterflies split across threads.
  void stageDif(Fr *x, const std::vector<Fr> &tw, int s, size_t, size_t nButterflies, bool dif) const {
    size_t half = size_t(1) << (s - 1);
    parallelRun(threads_, [&](int t) {
      size_t lo = nButterflies * t / threads_, hi = nButterflies * (t + 1) / threads_;
      for (size_t k = lo; k < hi; k++) {
        size_t block = k >> (s - 1), j = k & (half - 1);
        size_t i0 = (block << s) + j, i1 = i0 + half;
        const Fr &w = tw[half + j];
        if (dif) {
          Fr u = x[i0], v = x[i1];
          x[i0] = u + v;
          x[i1] = (u - v) * w;
        } else {
          Fr u = x[i0], v = x[i1] * w;
          x[i0] = u + v;
          x[i1] = u - v;
        }
      }
    });
  }

  void stageDifRange(Fr *x, const std::vector<Fr> &tw, int s, size_t len) const {
    size_t half = size_t(1) << (s - 1);
    const Fr *w = tw.data() + half;
    for (size_t b = 0; b < len; b += 2 * half)
      for (size_t j = 0; j < half; j++) {
        Fr u = x[b + j], v = x[b + j + half];
        x[b + j] = u + v;
        x[b + j + half] = (u - v) * w[j];
      }
  }

  void stageDitRange(Fr *x, const std::vector<Fr> &tw, int s, size_t len) const {
    size_t half = size_t(1) << (s - 1);
    const Fr *w = tw.data() + half;
    for (size_t b = 0; b < len; b += 2 * half)
      for (size_t j = 0; j < half; j++) {
        Fr u = x[b + j], v = x[b + j + half] * w[j];
        x[b + j] = u + v;
        x[b + j + half] = u - v;
      }
  }

  int log2n_;
  size_t n_;
  int threads_;
  std::vector<Fr> tw_, twInv_, shift_;
};

}  // namespace zk
