// Short Weierstrass points y^2 = x^3 + b (a = 0) over Fq (G1) and Fq2 (G2): affine points as stored in a
// .zkey (Montgomery x, y; (0, 0) is the point at infinity) and Jacobian points (Z = 0 is infinity).
#pragma once
#include "field.hpp"

namespace zk {

template <class F>
struct Affine {
  F x, y;
  inline bool isInfinity() const { return x.isZero() && y.isZero(); }
  static inline Affine infinity() { return Affine{F::zero(), F::zero()}; }
  inline Affine neg() const { return Affine{x, y.neg()}; }
};

template <class F>
struct Jacobian {
  F X, Y, Z;
  static inline Jacobian infinity() { return Jacobian{F::one(), F::one(), F::zero()}; }
  inline bool isInfinity() const { return Z.isZero(); }
  static inline Jacobian fromAffine(const Affine<F> &p) {
    if (p.isInfinity()) return infinity();
    return Jacobian{p.x, p.y, F::one()};
  }
  inline Jacobian neg() const { return Jacobian{X, Y.neg(), Z}; }

  // dbl-2009-l
  inline Jacobian dbl() const {
    if (isInfinity()) return *this;
    F A = X.sqr(), B = Y.sqr(), C = B.sqr();
    F D = ((X + B).sqr() - A - C).dbl();
    F E = A.dbl() + A;
    F Fv = E.sqr();
    Jacobian r;
    r.X = Fv - D.dbl();
    F C8 = C.dbl().dbl().dbl();
    r.Y = E * (D - r.X) - C8;
    r.Z = (Y * Z).dbl();
    return r;
  }

  // madd-2007-bl: this + q (q affine).
  inline Jacobian addMixed(const Affine<F> &q) const {
    if (q.isInfinity()) return *this;
    if (isInfinity()) return fromAffine(q);
    F Z1Z1 = Z.sqr();
    F U2 = q.x * Z1Z1;
    F S2 = q.y * Z * Z1Z1;
    F H = U2 - X;
    F rr = (S2 - Y).dbl();
    if (H.isZero()) {
      if (rr.isZero()) return dbl();
      return infinity();
    }
    F HH = H.sqr();
    F I = HH.dbl().dbl();
    F J = H * I;
    F V = X * I;
    Jacobian r;
    r.X = rr.sqr() - J - V.dbl();
    r.Y = rr * (V - r.X) - (Y * J).dbl();
    r.Z = (Z + H).sqr() - Z1Z1 - HH;
    return r;
  }

  // add-2007-bl
  inline Jacobian add(const Jacobian &q) const {
    if (q.isInfinity()) return *this;
    if (isInfinity()) return q;
    F Z1Z1 = Z.sqr(), Z2Z2 = q.Z.sqr();
    F U1 = X * Z2Z2, U2 = q.X * Z1Z1;
    F S1 = Y * q.Z * Z2Z2, S2 = q.Y * Z * Z1Z1;
    F H = U2 - U1;
    F rr = (S2 - S1).dbl();
    if (H.isZero()) {
      if (rr.isZero()) return dbl();
      return infinity();
    }
    F I = H.dbl().sqr();
    F J = H * I;
    F V = U1 * I;
    Jacobian r;
    r.X = rr.sqr() - J - V.dbl();
    r.Y = rr * (V - r.X) - (S1 * J).dbl();
    r.Z = ((Z + q.Z).sqr() - Z1Z1 - Z2Z2) * H;
    return r;
  }

  inline Affine<F> toAffine() const {
    if (isInfinity()) return Affine<F>::infinity();
    F zi = Z.inv();
    F zi2 = zi.sqr();
    return Affine<F>{X * zi2, Y * zi2 * zi};
  }

  // this * k for a canonical (non-Montgomery) little-endian scalar.
  inline Jacobian mulScalar(const u64 *k) const {
    Jacobian r = infinity();
    for (int i = 3; i >= 0; i--) {
      for (int j = 63; j >= 0; j--) {
        r = r.dbl();
        if ((k[i] >> j) & 1) r = r.add(*this);
      }
    }
    return r;
  }
};

using G1A = Affine<Fq>;
using G1J = Jacobian<Fq>;
using G2A = Affine<Fq2>;
using G2J = Jacobian<Fq2>;

}  // namespace zk
