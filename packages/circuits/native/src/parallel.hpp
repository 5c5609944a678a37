// A minimal fork-join helper: run fn(thread) on nThreads threads (the caller's thread is one of them).
#pragma once
#include <thread>
#include <vector>

namespace zk {

template <class Fn>
inline void parallelRun(int nThreads, Fn fn) {
  if (nThreads <= 1) {
    fn(0);
    return;
  }
  std::vector<std::thread> threads;
  threads.reserve(nThreads - 1);
  for (int t = 1; t < nThreads; t++) threads.emplace_back([&fn, t] { fn(t); });
  fn(0);
  for (auto &th : threads) th.join();
}

}  // namespace zk
