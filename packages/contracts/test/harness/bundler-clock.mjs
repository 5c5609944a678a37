// Preloaded into Alto (`node --import`) by tests that move anvil's clock: Alto judges an operation's
// validity window (`validAfter > now` is "not valid yet", `validUntil < now + 5` "expires too soon") with its
// own Date.now(), so a chain moved ahead with evm_increaseTime would have every windowed operation refused.
// With this preload Alto's clock runs `offset` seconds ahead, `offset` read from ZKSSO_TEST_CLOCK_FILE on
// every call (a few microseconds; Alto asks a handful of times per operation), which the test writes before it
// moves the chain by the same amount: bundler and chain agree on the time, as on a real network.
import { readFileSync } from 'node:fs';

const file = process.env.ZKSSO_TEST_CLOCK_FILE;
if (file) {
  const realNow = Date.now.bind(Date);
  Date.now = () => {
    let offsetSeconds = 0;
    try {
      offsetSeconds = Number(readFileSync(file, 'utf8')) || 0;
    } catch {
      // No file yet: no offset.
    }
    return realNow() + offsetSeconds * 1000;
  };
}
