// Reading snarkjs binary files (.zkey, .wtns): "magic, version, sections" containers. The zkey is mapped
// read-only and its points are used in place (Montgomery affine, the layout our field code uses).
#pragma once
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "curve.hpp"

namespace zk {

// An error with a machine-readable code, answered to the Node side as {code, message}.
struct ProverError : std::runtime_error {
  std::string code;
  ProverError(std::string c, const std::string &m) : std::runtime_error(m), code(std::move(c)) {}
};

struct Section {
  uint64_t offset = 0, size = 0;
  bool present = false;
};

// Parses the section table of a snarkjs binary file held in [data, data + size).
inline std::map<uint32_t, Section> readSections(const uint8_t *data, uint64_t size, const char *magic,
                                                uint32_t version, const char *errorCode,
                                                const std::string &what) {
  if (size < 12 || std::memcmp(data, magic, 4) != 0)
    throw ProverError(errorCode, what + " is not a snarkjs ." + magic + " file (bad magic)");
  uint32_t ver, nSections;
  std::memcpy(&ver, data + 4, 4);
  std::memcpy(&nSections, data + 8, 4);
  if (ver != version)
    throw ProverError(errorCode, what + ": unsupported ." + magic + " version " + std::to_string(ver));
  std::map<uint32_t, Section> sections;
  uint64_t pos = 12;
  for (uint32_t i = 0; i < nSections; i++) {
    if (pos + 12 > size) throw ProverError(errorCode, what + " is truncated (section table)");
    uint32_t id;
    uint64_t len;
    std::memcpy(&id, data + pos, 4);
    std::memcpy(&len, data + pos + 4, 8);
    pos += 12;
    if (len > size - pos)
      throw ProverError(errorCode, what + " is truncated (section " + std::to_string(id) + " ends past the file)");
    if (!sections[id].present) sections[id] = Section{pos, len, true};
    pos += len;
  }
  return sections;
}

inline bool limbsEqual(const uint8_t *p, const u64 *mod) { return std::memcmp(p, mod, 32) == 0; }

class MappedFile {
 public:
  MappedFile(const std::string &path, const char *missingCode) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) throw ProverError("FILE_NOT_FOUND", "no such file: " + path);
      throw ProverError(missingCode, "cannot open " + path + ": " + std::strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
      ::close(fd);
      throw ProverError(missingCode, "cannot stat " + path);
    }
    size_ = (uint64_t)st.st_size;
    mtimeNs_ = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    ino_ = st.st_ino;
    if (size_ > 0) {
      void *m = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (m == MAP_FAILED) {
        ::close(fd);
        throw ProverError(missingCode, "cannot map " + path + ": " + std::strerror(errno));
      }
      data_ = (const uint8_t *)m;
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (data_) munmap((void *)data_, size_);
  }
  MappedFile(const MappedFile &) = delete;
  MappedFile &operator=(const MappedFile &) = delete;
  const uint8_t *data() const { return data_; }
  uint64_t size() const { return size_; }
  int64_t mtimeNs() const { return mtimeNs_; }
  uint64_t ino() const { return ino_; }

 private:
  const uint8_t *data_ = nullptr;
  uint64_t size_ = 0;
  int64_t mtimeNs_ = 0;
  uint64_t ino_ = 0;
};

// A Groth16 proving key (snarkjs .zkey), checked against its header before use.
struct Zkey {
  std::unique_ptr<MappedFile> file;
  uint32_t nVars = 0, nPublic = 0, domainSize = 0, log2Domain = 0, nCoefs = 0;
  G1A alpha1, beta1, delta1;
  G2A beta2, gamma2, delta2;
  const uint8_t *coefs = nullptr;  // nCoefs entries of {u32 matrix, u32 constraint, u32 signal, Fr value}
  const G1A *A = nullptr, *B1 = nullptr, *C = nullptr, *H = nullptr;
  const G2A *B2 = nullptr;
};

inline std::unique_ptr<Zkey> loadZkey(const std::string &path) {
  auto z = std::make_unique<Zkey>();
  z->file = std::make_unique<MappedFile>(path, "ZKEY_INVALID");
  const uint8_t *d = z->file->data();
  uint64_t size = z->file->size();
  const std::string what = "zkey " + path;
  auto sections = readSections(d, size, "zkey", 1, "ZKEY_INVALID", what);
  auto need = [&](uint32_t id) -> const Section & {
    auto it = sections.find(id);
    if (it == sections.end() || !it->second.present)
      throw ProverError("ZKEY_INVALID", what + " has no section " + std::to_string(id));
    return it->second;
  };
  const Section &s1 = need(1);
  uint32_t protocol = 0;
  if (s1.size < 4) throw ProverError("ZKEY_INVALID", what + ": header section too short");
  std::memcpy(&protocol, d + s1.offset, 4);
  if (protocol != 1)
    throw ProverError("ZKEY_INVALID", what + " is not a Groth16 key (protocol " + std::to_string(protocol) + ")");
  const Section &s2 = need(2);
  if (s2.size != 660) throw ProverError("ZKEY_INVALID", what + ": Groth16 header has the wrong size");
  const uint8_t *h = d + s2.offset;
  uint32_t n8q, n8r;
  std::memcpy(&n8q, h, 4);
  std::memcpy(&n8r, h + 36, 4);
  if (n8q != 32 || n8r != 32 || !limbsEqual(h + 4, FqParams::MOD) || !limbsEqual(h + 40, FrParams::MOD))
    throw ProverError("ZKEY_INVALID", what + " is not a BN254 (bn128) key");
  std::memcpy(&z->nVars, h + 72, 4);
  std::memcpy(&z->nPublic, h + 76, 4);
  std::memcpy(&z->domainSize, h + 80, 4);
  if (z->domainSize == 0 || (z->domainSize & (z->domainSize - 1)) != 0 || z->domainSize > (1u << 28))
    throw ProverError("ZKEY_INVALID", what + ": domain size is not a power of two");
  while ((1u << z->log2Domain) < z->domainSize) z->log2Domain++;
  if (z->nVars < z->nPublic + 1) throw ProverError("ZKEY_INVALID", what + ": fewer variables than public inputs");
  const uint8_t *p = h + 84;
  std::memcpy(&z->alpha1, p, 64);
  std::memcpy(&z->beta1, p + 64, 64);
  std::memcpy(&z->beta2, p + 128, 128);
  std::memcpy(&z->gamma2, p + 256, 128);
  std::memcpy(&z->delta1, p + 384, 64);
  std::memcpy(&z->delta2, p + 448, 128);

  auto sized = [&](uint32_t id, uint64_t expected) -> const uint8_t * {
    const Section &s = need(id);
    if (s.size != expected)
      throw ProverError("ZKEY_INVALID", what + ": section " + std::to_string(id) + " has " + std::to_string(s.size) +
                                            " bytes, expected " + std::to_string(expected));
    return d + s.offset;
  };
  sized(3, uint64_t(z->nPublic + 1) * 64);
  const Section &s4 = need(4);
  if (s4.size < 4) throw ProverError("ZKEY_INVALID", what + ": coefficient section too short");
  std::memcpy(&z->nCoefs, d + s4.offset, 4);
  sized(4, 4 + uint64_t(z->nCoefs) * 44);
  z->coefs = d + s4.offset + 4;
  z->A = (const G1A *)sized(5, uint64_t(z->nVars) * 64);
  z->B1 = (const G1A *)sized(6, uint64_t(z->nVars) * 64);
  z->B2 = (const G2A *)sized(7, uint64_t(z->nVars) * 128);
  z->C = (const G1A *)sized(8, uint64_t(z->nVars - z->nPublic - 1) * 64);
  z->H = (const G1A *)sized(9, uint64_t(z->domainSize) * 64);
  return z;
}

// A witness (snarkjs .wtns, version 2): canonical little-endian values, witness[0] = 1.
inline std::vector<u64> loadWitness(const std::string &path) {
  MappedFile f(path, "WITNESS_INVALID");
  const uint8_t *d = f.data();
  const std::string what = "witness " + path;
  auto sections = readSections(d, f.size(), "wtns", 2, "WITNESS_INVALID", what);
  auto s1 = sections.find(1), s2 = sections.find(2);
  if (s1 == sections.end() || s2 == sections.end())
    throw ProverError("WITNESS_INVALID", what + " lacks its header or values section");
  const uint8_t *h = d + s1->second.offset;
  if (s1->second.size < 4) throw ProverError("WITNESS_INVALID", what + ": header too short");
  uint32_t n8;
  std::memcpy(&n8, h, 4);
  if (n8 != 32 || s1->second.size != 40 || !limbsEqual(h + 4, FrParams::MOD))
    throw ProverError("WITNESS_MISMATCH", what + " is not over the BN254 scalar field");
  uint32_t n;
  std::memcpy(&n, h + 36, 4);
  if (s2->second.size != uint64_t(n) * 32)
    throw ProverError("WITNESS_INVALID", what + ": values section does not hold " + std::to_string(n) + " values");
  std::vector<u64> w(size_t(n) * 4);
  std::memcpy(w.data(), d + s2->second.offset, size_t(n) * 32);
  for (uint32_t i = 0; i < n; i++)
    if (!Fr::lessThanMod(w.data() + 4 * i))
      throw ProverError("WITNESS_INVALID", what + ": value " + std::to_string(i) + " is not reduced");
  return w;
}

}  // namespace zk
