// Multi-scalar multiplication over affine bases in the zkey's own layout.
//
// - msmPippenger: signed-digit Pippenger; buckets are affine points updated with batch-affine additions
//   (one field inversion shared by a whole batch through Montgomery's trick: ~6 multiplications per
//   addition instead of ~11 for a mixed Jacobian addition). Windows are split across threads.
// - msmWitness: the witness MSMs (A, B1, B2, C). Most witness values are 0 (skipped) or 1 (a plain sum of
//   points); only the rest goes through Pippenger.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "curve.hpp"
#include "parallel.hpp"

namespace zk {

inline int scalarBits(const u64 *s) {
  for (int i = 3; i >= 0; i--)
    if (s[i]) return 64 * i + 64 - __builtin_clzll(s[i]);
  return 0;
}

// Bits [off, off + c) of a 4-limb scalar (c <= 32).
inline uint32_t scalarWindow(const u64 *s, int off, int c) {
  int limb = off >> 6, shift = off & 63;
  if (limb >= 4) return 0;
  u64 v = s[limb] >> shift;
  if (shift + c > 64 && limb + 1 < 4) v |= s[limb + 1] << (64 - shift);
  return (uint32_t)(v & ((1ULL << c) - 1));
}

template <class F>
class BucketWindow {
 public:
  BucketWindow(const Affine<F> *points, int c)
      : pts_(points), nb_(size_t(1) << (c - 1)), bucket_(nb_), state_(nb_, 0), overflow_(nb_) {
    batchMax_ = std::max<size_t>(4, std::min<size_t>(2048, nb_ / 8));
    bB_.resize(batchMax_);
    bP_.resize(batchMax_);
    dx_.resize(batchMax_);
    pref_.resize(batchMax_);
  }

  // Adds point `index` (negated when `negative`) into bucket `b`.
  inline void feed(uint32_t b, uint32_t index, bool negative) {
    uint32_t e = index | (negative ? 0x80000000u : 0);
    if (state_[b] & 2) {
      // The bucket already waits in this batch: add this point on the side (Jacobian), rare for spread
      // digits, common for repeated small witness values.
      if (!(state_[b] & 4)) {
        overflow_[b] = Jacobian<F>::fromAffine(point(e));
        state_[b] |= 4;
      } else {
        overflow_[b] = overflow_[b].addMixed(point(e));
      }
      return;
    }
    if (!(state_[b] & 1)) {
      bucket_[b] = point(e);
      state_[b] |= 1;  // keeps bit 2: the bucket may have emptied with points on the side
      return;
    }
    state_[b] |= 2;
    // The batch is flushed ~batchMax_ feeds later; fetching the bucket now hides the cache miss.
    __builtin_prefetch(&bucket_[b], 1, 3);
    bB_[count_] = b;
    bP_[count_] = e;
    if (++count_ == batchMax_) flush();
  }

  // Finishes every pending addition and returns sum_b (b + 1) * bucket[b].
  Jacobian<F> finish() {
    flush();
    Jacobian<F> running = Jacobian<F>::infinity(), total = Jacobian<F>::infinity();
    for (size_t b = nb_; b-- > 0;) {
      if (state_[b] & 1) running = running.addMixed(bucket_[b]);
      if (state_[b] & 4) running = running.add(overflow_[b]);
      total = total.add(running);
    }
    return total;
  }

 private:
  inline Affine<F> point(uint32_t e) const {
    const Affine<F> &p = pts_[e & 0x7fffffffu];
    return (e >> 31) ? p.neg() : p;
  }

  void flush() {
    if (count_ == 0) return;
    F acc = F::one();
    // Each pass fetches the bucket a few additions ahead: the prefetch made when the point was queued
    // (up to batchMax_ feeds earlier) is often evicted by then, and this load stalled the whole H MSM.
    constexpr size_t kAhead = 8;
    for (size_t k = 0; k < count_; k++) {
      if (k + kAhead < count_) __builtin_prefetch(&bucket_[bB_[k + kAhead]], 1, 3);
      Affine<F> p = point(bP_[k]);
      Affine<F> &b = bucket_[bB_[k]];
      F d = p.x - b.x;
      if (d.isZero()) {
        // Rare: the same point (double it) or its opposite (the bucket empties).
        if (p.y == b.y) {
          b = Jacobian<F>::fromAffine(b).dbl().toAffine();
        } else {
          state_[bB_[k]] &= ~1;
        }
        dx_[k] = F::zero();
        continue;
      }
      dx_[k] = d;
      pref_[k] = acc;
      acc = acc * d;
    }
    F inv = acc.inv();
    // Two passes, so that the only serial chain is one multiplication per addition: the first walks the
    // batch backwards and turns each dx into its inverse (in place); the second does the additions, which
    // are independent of one another and overlap in the CPU (one pass doing both waited on each
    // addition's four dependent multiplications: about twice as slow).
    for (size_t k = count_; k-- > 0;) {
      if (dx_[k].isZero()) continue;
      F ik = inv * pref_[k];
      inv = inv * dx_[k];
      dx_[k] = ik;
    }
    for (size_t k = 0; k < count_; k++) {
      if (k + kAhead < count_) __builtin_prefetch(&bucket_[bB_[k + kAhead]], 1, 3);
      if (dx_[k].isZero()) continue;
      Affine<F> p = point(bP_[k]);
      Affine<F> &b = bucket_[bB_[k]];
      F lambda = (p.y - b.y) * dx_[k];
      F x3 = lambda.sqr() - b.x - p.x;
      F y3 = lambda * (b.x - x3) - b.y;
      b.x = x3;
      b.y = y3;
    }
    for (size_t k = 0; k < count_; k++) state_[bB_[k]] &= ~2;
    count_ = 0;
  }

  const Affine<F> *pts_;
  size_t nb_;
  std::vector<Affine<F>> bucket_;
  // bit 0: bucket holds a point; bit 1: bucket is in the pending batch; bit 2: overflow_ holds a point
  std::vector<uint8_t> state_;
  std::vector<Jacobian<F>> overflow_;
  size_t batchMax_, count_ = 0;
  std::vector<uint32_t> bB_, bP_;
  std::vector<F> dx_, pref_;
};

inline int chooseWindow(size_t n) {
  int lg = 0;
  while ((size_t(1) << (lg + 1)) <= n) lg++;
  return std::max(3, std::min(16, lg - 3));
}

// sum_i scalars[idx[i]] * points[idx[i]] (idx == nullptr: i itself). Scalars are canonical 4-limb integers
// (stride 4 limbs); points at infinity are allowed.
template <class F>
Jacobian<F> msmPippenger(const Affine<F> *points, const u64 *scalars, const uint32_t *idx, size_t n,
                         int nThreads, int c = 0) {
  if (n == 0) return Jacobian<F>::infinity();
  if (c == 0) c = chooseWindow(n);
  int bits = 0;
  for (size_t i = 0; i < n; i++) bits = std::max(bits, scalarBits(scalars + 4 * (idx ? idx[i] : i)));
  if (bits == 0) return Jacobian<F>::infinity();
  int nWindows = bits / c + 1;
  // Signed digits in [-2^(c-1), 2^(c-1)]: window-major so each window's pass reads them in order.
  std::vector<int32_t> digits(size_t(nWindows) * n);
  parallelRun(nThreads, [&](int t) {
    size_t lo = n * t / nThreads, hi = n * (t + 1) / nThreads;
    for (size_t i = lo; i < hi; i++) {
      const u64 *s = scalars + 4 * (idx ? idx[i] : i);
      int32_t carry = 0;
      for (int w = 0; w < nWindows; w++) {
        int32_t d = (int32_t)scalarWindow(s, w * c, c) + carry;
        carry = 0;
        if (w + 1 < nWindows && d >= (1 << (c - 1))) {
          d -= (1 << c);
          carry = 1;
        }
        digits[size_t(w) * n + i] = d;
      }
    }
  });
  std::vector<Jacobian<F>> windowSums(nWindows, Jacobian<F>::infinity());
  int workers = std::min(nThreads, nWindows);
  parallelRun(workers, [&](int t) {
    for (int w = t; w < nWindows; w += workers) {
      BucketWindow<F> win(points, c);
      const int32_t *dw = digits.data() + size_t(w) * n;
      for (size_t i = 0; i < n; i++) {
        int32_t d = dw[i];
        if (d == 0) continue;
        uint32_t pi = idx ? idx[i] : (uint32_t)i;
        if (points[pi].isInfinity()) continue;
        if (d > 0)
          win.feed((uint32_t)(d - 1), pi, false);
        else
          win.feed((uint32_t)(-d - 1), pi, true);
      }
      windowSums[w] = win.finish();
    }
  });
  Jacobian<F> r = windowSums[nWindows - 1];
  for (int w = nWindows - 2; w >= 0; w--) {
    for (int k = 0; k < c; k++) r = r.dbl();
    r = r.add(windowSums[w]);
  }
  return r;
}

// Per-MSM counts, for the timings report.
struct WitnessMsmStats {
  size_t zeros = 0, ones = 0, others = 0;
};

// sum_i scalars[i] * points[i] over a witness: zeros skipped, ones summed, the rest by Pippenger.
template <class F>
Jacobian<F> msmWitness(const Affine<F> *points, const u64 *scalars, size_t n, int nThreads,
                       WitnessMsmStats *stats = nullptr) {
  std::vector<uint32_t> ones, others;
  for (size_t i = 0; i < n; i++) {
    const u64 *s = scalars + 4 * i;
    if ((s[1] | s[2] | s[3]) == 0 && s[0] <= 1) {
      if (s[0] == 1) ones.push_back((uint32_t)i);
    } else {
      others.push_back((uint32_t)i);
    }
  }
  if (stats) {
    stats->ones = ones.size();
    stats->others = others.size();
    stats->zeros = n - ones.size() - others.size();
  }
  std::vector<Jacobian<F>> partial(std::max(1, nThreads), Jacobian<F>::infinity());
  parallelRun(nThreads, [&](int t) {
    size_t lo = ones.size() * t / nThreads, hi = ones.size() * (t + 1) / nThreads;
    Jacobian<F> acc = Jacobian<F>::infinity();
    for (size_t i = lo; i < hi; i++) acc = acc.addMixed(points[ones[i]]);
    partial[t] = acc;
  });
  Jacobian<F> sum = msmPippenger<F>(points, scalars, others.data(), others.size(), nThreads);
  for (auto &p : partial) sum = sum.add(p);
  return sum;
}

}  // namespace zk
