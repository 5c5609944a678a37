// zksso-prover: a native Groth16 prover (BN254) for snarkjs .zkey / .wtns files.
//
//   zksso-prover prove <zkey> <wtns>   one proof, as JSON on stdout
//   zksso-prover serve                 one JSON request per stdin line, one JSON answer per stdout line:
//       {"id":1,"zkeyPath":"...","wtnsPath":"..."}
//    -> {"id":1,"proof":{...},"publicSignals":[...],"timings":{...}}  or  {"id":1,"error":{"code","message"}}
//   Keys stay mapped between requests (reloaded when the file changes); requests run one at a time.
//   zksso-prover selftest              the field multiplication against its portable reference, as JSON
//       -> {"ok":true,"mul":"adx"|"portable","checked":N}  (exit 1 and "failure" when they differ)
// Threads: ZKSSO_PROVER_THREADS, else every core.
#include <sys/resource.h>

#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "groth16.hpp"
#include "selftest.hpp"

using namespace zk;

namespace {

// A canonical 4-limb integer in decimal.
std::string toDecimal(const u64a4 *limbs) {
  u64 x[4] = {limbs[0], limbs[1], limbs[2], limbs[3]};
  std::string out;
  const u64 base = 10000000000000000000ULL;  // 10^19
  while (x[0] | x[1] | x[2] | x[3]) {
    u128 rem = 0;
    for (int i = 3; i >= 0; i--) {
      u128 cur = (rem << 64) | x[i];
      x[i] = (u64)(cur / base);
      rem = cur % base;
    }
    char buf[24];
    bool more = x[0] | x[1] | x[2] | x[3];
    std::snprintf(buf, sizeof buf, more ? "%019llu" : "%llu", (unsigned long long)(u64)rem);
    out.insert(0, buf);
  }
  return out.empty() ? "0" : out;
}

std::string dec(const Fq &v) {
  Fq i = v.toInt();
  return "\"" + toDecimal(i.v) + "\"";
}

std::string jsonEscape(const std::string &s) {
  std::string o;
  for (char ch : s) {
    unsigned char c = (unsigned char)ch;
    if (c == '"' || c == '\\') {
      o += '\\';
      o += ch;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      o += buf;
    } else {
      o += ch;
    }
  }
  return o;
}

long maxRssKb() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

std::string proofJson(const Proof &p, const Timings &t) {
  std::ostringstream o;
  o << "\"proof\":{\"pi_a\":[" << dec(p.a.x) << "," << dec(p.a.y) << ",\"1\"],";
  o << "\"pi_b\":[[" << dec(p.b.x.c0) << "," << dec(p.b.x.c1) << "],[" << dec(p.b.y.c0) << "," << dec(p.b.y.c1)
    << "],[\"1\",\"0\"]],";
  o << "\"pi_c\":[" << dec(p.c.x) << "," << dec(p.c.y) << ",\"1\"],\"protocol\":\"groth16\",\"curve\":\"bn128\"},";
  o << "\"publicSignals\":[";
  for (size_t i = 0; i < p.publicSignals.size() / 4; i++)
    o << (i ? "," : "") << "\"" << toDecimal(p.publicSignals.data() + 4 * i) << "\"";
  o << "],\"timings\":{\"loadMs\":" << t.loadMs << ",\"witnessReadMs\":" << t.witnessReadMs
    << ",\"abcMs\":" << t.abcMs << ",\"fftMs\":" << t.fftMs << ",\"msmAMs\":" << t.msmAMs
    << ",\"msmB1Ms\":" << t.msmB1Ms << ",\"msmB2Ms\":" << t.msmB2Ms << ",\"msmCMs\":" << t.msmCMs
    << ",\"msmHMs\":" << t.msmHMs << ",\"finishMs\":" << t.finishMs << ",\"totalMs\":" << t.totalMs
    << ",\"witnessZeros\":" << t.zeros << ",\"witnessOnes\":" << t.ones << ",\"witnessOthers\":" << t.others
    << ",\"maxRssMB\":" << (maxRssKb() / 1024.0) << "}";
  return o.str();
}

std::string errorJson(const std::string &code, const std::string &message) {
  return "\"error\":{\"code\":\"" + jsonEscape(code) + "\",\"message\":\"" + jsonEscape(message) + "\"}";
}

// A flat JSON object of string and number values (the request); returns false on malformed input.
bool parseRequest(const std::string &line, std::map<std::string, std::string> &out) {
  size_t i = 0;
  auto ws = [&] {
    while (i < line.size() && std::isspace((unsigned char)line[i])) i++;
  };
  auto str = [&](std::string &s) -> bool {
    if (i >= line.size() || line[i] != '"') return false;
    i++;
    while (i < line.size() && line[i] != '"') {
      char ch = line[i++];
      if (ch == '\\') {
        if (i >= line.size()) return false;
        char e = line[i++];
        switch (e) {
          case 'n': s += '\n'; break;
          case 't': s += '\t'; break;
          case 'r': s += '\r'; break;
          case 'b': s += '\b'; break;
          case 'f': s += '\f'; break;
          case 'u': {
            if (i + 4 > line.size()) return false;
            unsigned cp = std::stoul(line.substr(i, 4), nullptr, 16);
            i += 4;
            if (cp >= 0x80) return false;  // paths here are ASCII-escaped only below 0x80
            s += (char)cp;
            break;
          }
          default: s += e;
        }
      } else {
        s += ch;
      }
    }
    if (i >= line.size()) return false;
    i++;
    return true;
  };
  ws();
  if (i >= line.size() || line[i] != '{') return false;
  i++;
  ws();
  if (i < line.size() && line[i] == '}') return true;
  for (;;) {
    ws();
    std::string key, value;
    if (!str(key)) return false;
    ws();
    if (i >= line.size() || line[i] != ':') return false;
    i++;
    ws();
    if (i < line.size() && line[i] == '"') {
      if (!str(value)) return false;
    } else {
      while (i < line.size() && (std::isdigit((unsigned char)line[i]) || line[i] == '-')) value += line[i++];
      if (value.empty()) return false;
    }
    out[key] = value;
    ws();
    if (i < line.size() && line[i] == ',') {
      i++;
      continue;
    }
    if (i < line.size() && line[i] == '}') return true;
    return false;
  }
}

int threadCount() {
  if (const char *env = std::getenv("ZKSSO_PROVER_THREADS")) {
    int n = std::atoi(env);
    if (n > 0) return n;
  }
  unsigned hc = std::thread::hardware_concurrency();
  return hc ? (int)hc : 1;
}

std::string handle(Prover &prover, const std::string &zkeyPath, const std::string &wtnsPath) {
  try {
    Timings t;
    Proof p = prover.prove(zkeyPath, wtnsPath, t);
    return proofJson(p, t);
  } catch (const ProverError &e) {
    return errorJson(e.code, e.what());
  } catch (const std::bad_alloc &) {
    return errorJson("OUT_OF_MEMORY", "the native prover ran out of memory");
  } catch (const std::exception &e) {
    return errorJson("INTERNAL", e.what());
  }
}

}  // namespace

int main(int argc, char **argv) {
  std::ios::sync_with_stdio(false);
  Prover prover(threadCount());
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "prove" && argc == 4) {
    std::string body = handle(prover, argv[2], argv[3]);
    std::cout << "{" << body << "}" << std::endl;
    return body.rfind("\"error\"", 0) == 0 ? 1 : 0;
  }
  if (mode == "serve") {
    std::string line;
    while (std::getline(std::cin, line)) {
      if (line.empty()) continue;
      std::map<std::string, std::string> req;
      std::string body;
      std::string id = "null";
      if (!parseRequest(line, req)) {
        body = errorJson("BAD_REQUEST", "request is not a flat JSON object");
      } else {
        if (req.count("id")) id = req["id"];
        for (char ch : id)
          if (!std::isdigit((unsigned char)ch)) id = "null";
        if (!req.count("zkeyPath") || !req.count("wtnsPath"))
          body = errorJson("BAD_REQUEST", "request needs zkeyPath and wtnsPath");
        else
          body = handle(prover, req["zkeyPath"], req["wtnsPath"]);
      }
      std::cout << "{\"id\":" << id << "," << body << "}\n" << std::flush;
    }
    return 0;
  }
  if (mode == "selftest") {
    SelfTestResult r = selfTest();
    std::cout << "{\"ok\":" << (r.ok ? "true" : "false") << ",\"mul\":\"" << fieldMulKind()
              << "\",\"checked\":" << r.checked;
    if (!r.ok) std::cout << ",\"failure\":\"" << jsonEscape(r.failure) << "\"";
    std::cout << "}" << std::endl;
    return r.ok ? 0 : 1;
  }
  if (mode == "--version") {
    std::cout << "zksso-prover 1" << std::endl;
    return 0;
  }
  std::cerr << "usage: zksso-prover prove <zkey> <wtns> | zksso-prover serve | zksso-prover selftest" << std::endl;
  return 2;
}
