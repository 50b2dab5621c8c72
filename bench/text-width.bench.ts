// How fast text is measured in terminal columns. textWidth runs on every key the prompt takes
// and on every line a screen draws; three lines a learner meets: a REPL command (ASCII, the
// common case, which skips the grapheme segmenter), a line of a Chinese lesson's prose, and a
// command whose data is Chinese (mostly ASCII, but the whole line takes the slow path).
// graphemeWidth is what prose layout calls, once a cluster: the Chinese line measured so.
import { graphemes, graphemeWidth, textWidth } from '../src/session/text-width.js';
import { ratePerSecond } from './measure.js';

const ASCII = 'send tcp flags=PA seq=$rx.ack ack=$rx.seq+1 win=64240 data="GET / HTTP/1.1\\r\\n"';
const CJK = '三次握手的第二步：服务器回复 SYN-ACK，确认号是客户端的初始序号加一。';
const MIXED = 'send tcp flags=PA seq=$rx.ack ack=$rx.seq+1 data="你好，世界！这是第一段数据。"';

export default async function bench(): Promise<Record<string, number>> {
  const cjkClusters = graphemes(CJK);
  // Results go to a sink that is read at the end so the calls cannot be optimised away.
  let sink = 0;
  const textWidthAsciiPerSec = ratePerSecond(() => {
    sink += textWidth(ASCII);
  });
  const textWidthCjkPerSec = ratePerSecond(() => {
    sink += textWidth(CJK);
  });
  const textWidthMixedPerSec = ratePerSecond(() => {
    sink += textWidth(MIXED);
  });
  const graphemeWidthCjkLinePerSec = ratePerSecond(() => {
    for (const cluster of cjkClusters) sink += graphemeWidth(cluster);
  });
  if (sink < 0) throw new Error('unreachable');
  return { textWidthAsciiPerSec, textWidthCjkPerSec, textWidthMixedPerSec, graphemeWidthCjkLinePerSec };
}
