// The lesson `tcplab pack new` puts in a new pack: the three-way handshake and a first
// byte of data, written to show every kind of cell an instructor needs most. It is a real
// lesson, checked like any other, in English and in Chinese.

export const EXAMPLE_LESSON_FILE = 'lessons/01-three-way-handshake.md';

const FENCE = '```';

/** The example in `language`: Chinese for zh (any region or script), English otherwise. */
export function exampleLesson(language: string): string {
  return language.toLowerCase().startsWith('zh') ? chinese(language) : english(language);
}

/** Whether exampleLesson has a translation for `language`, or falls back to English. */
export function hasExampleTranslation(language: string): boolean {
  const lower = language.toLowerCase();
  return lower.startsWith('zh') || lower.startsWith('en');
}

function english(language: string): string {
  return `---
id: three-way-handshake
title: The three-way handshake
summary: Open a TCP connection by hand, one segment at a time, then send your first bytes.
language: ${language}
networks: [lab, sim]
server: echo
role: client
solutionAfter: 3
---

# The three-way handshake

Before two programs can exchange a single byte over TCP, their kernels agree on where each
side's numbering starts. Three segments do it: SYN, SYN-ACK, ACK. Here you write them
yourself, and the echo server's kernel answers.

## Step 1: SYN

Ask for a connection: send a segment with the SYN flag and your own initial sequence
number (ISN). Any number will do; 1000 is easy to follow.

${FENCE}tcplab send
tcp flags=S seq=1000
${FENCE}

Before your segment leaves, tcplab checks it:

${FENCE}tcplab check
flags=S -- A connection opens with SYN alone: there is nothing to acknowledge yet, so no ACK.
${FENCE}

${FENCE}tcplab expect
recv flags=SA ack=$tx.seq+1 -- The server should answer with SYN-ACK, acknowledging your ISN plus one.
  ok: The kernel answered with its own SYN and ISN, and acknowledged yours plus one:
  a SYN takes up one sequence number, as if it were a byte.
${FENCE}

${FENCE}tcplab hint
A SYN segment has only the **S** flag: \`flags=S\`.
${FENCE}

${FENCE}tcplab hint
Pick any sequence number, for example \`seq=1000\`.
${FENCE}

${FENCE}tcplab solution
tcp flags=S seq=1000
${FENCE}

## Step 2: ACK

Complete the handshake: acknowledge the server's SYN.

${FENCE}tcplab send
tcp flags=A
${FENCE}

${FENCE}tcplab check
flags=A -- The third segment of the handshake carries ACK alone.
seq=$tx.seq+1 -- Your SYN used one sequence number, so you continue from your ISN plus one.
ack=$rx.seq+1 -- Acknowledge the server's SYN: its ISN plus one.
${FENCE}

${FENCE}tcplab events
app accepted -- The server's program never saw the connection: was the handshake complete?
  ok: The server's accept() returned: the connection is open on its side too.
state ESTABLISHED
${FENCE}

${FENCE}tcplab silence 1s
fail: A bare ACK needs no answer; something else happened.
ok: Nothing came back: TCP does not acknowledge an ACK that carries no data.
${FENCE}

${FENCE}tcplab hint
The server's ISN is \`$rx.seq\`; its SYN counts as one byte.
${FENCE}

${FENCE}tcplab solution
tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1
${FENCE}

## Step 3: your first bytes

The connection is open. Send \`hello\` to the echo server.

${FENCE}tcplab send
tcp flags=PA data="hello"
${FENCE}

${FENCE}tcplab check
data="hello" -- Send the five bytes hello.
seq=$tx.seq -- An ACK without data takes no sequence number: continue from the same seq.
ack=$rx.seq+1 -- Keep acknowledging the server's SYN: nothing else has come from it yet.
${FENCE}

${FENCE}tcplab events
app received data="hello" -- The server's program did not read hello.
${FENCE}

${FENCE}tcplab expect
recv flags=PA data="hello" -- The echo server should send hello back.
  ok: The echo server wrote hello back, and its kernel acknowledged your five bytes.
${FENCE}

${FENCE}tcplab hint
Your sequence number has not moved since the ACK: \`seq=$tx.seq\`.
${FENCE}

${FENCE}tcplab solution
tcp flags=PA seq=$tx.seq ack=$rx.seq+1 data="hello"
${FENCE}

You opened a connection and sent data through it, one segment at a time.
`;
}

function chinese(language: string): string {
  return `---
id: three-way-handshake
title: 三次握手
summary: 亲手逐个报文段建立一条 TCP 连接，再发送第一批数据。
language: ${language}
networks: [lab, sim]
server: echo
role: client
solutionAfter: 3
---

# 三次握手

两个程序要通过 TCP 交换哪怕一个字节之前，双方内核都要先约定各自的序号从哪里开始。
这由三个报文段完成：SYN、SYN-ACK、ACK。这里由你亲手写出它们，由 echo 服务器的内核作答。

## 第 1 步：SYN

请求建立连接：发送一个带 SYN 标志和你自己的初始序号（ISN）的报文段。
任何数字都可以，1000 比较好跟踪。

${FENCE}tcplab send
tcp flags=S seq=1000
${FENCE}

你的报文段发出之前，tcplab 会先检查它：

${FENCE}tcplab check
flags=S -- 建立连接只用 SYN：此时还没有可以确认的东西，所以不带 ACK。
${FENCE}

${FENCE}tcplab expect
recv flags=SA ack=$tx.seq+1 -- 服务器应当回复 SYN-ACK，确认号是你的 ISN 加一。
  ok: 内核用它自己的 SYN 和 ISN 作答，并确认了你的 ISN 加一：
  SYN 像一个字节一样占用一个序号。
${FENCE}

${FENCE}tcplab hint
SYN 报文段只有 **S** 标志：\`flags=S\`。
${FENCE}

${FENCE}tcplab hint
随便选一个序号，例如 \`seq=1000\`。
${FENCE}

${FENCE}tcplab solution
tcp flags=S seq=1000
${FENCE}

## 第 2 步：ACK

完成握手：确认服务器的 SYN。

${FENCE}tcplab send
tcp flags=A
${FENCE}

${FENCE}tcplab check
flags=A -- 握手的第三个报文段只带 ACK。
seq=$tx.seq+1 -- 你的 SYN 占用了一个序号，所以从 ISN 加一继续。
ack=$rx.seq+1 -- 确认服务器的 SYN：它的 ISN 加一。
${FENCE}

${FENCE}tcplab events
app accepted -- 服务器程序没有看到这条连接：握手完成了吗？
  ok: 服务器的 accept() 返回了：它那一侧的连接也已建立。
state ESTABLISHED
${FENCE}

${FENCE}tcplab silence 1s
fail: 不带数据的 ACK 不需要回复；发生了别的事情。
ok: 没有任何回复：TCP 不会确认一个不带数据的 ACK。
${FENCE}

${FENCE}tcplab hint
服务器的 ISN 是 \`$rx.seq\`；它的 SYN 算作一个字节。
${FENCE}

${FENCE}tcplab solution
tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1
${FENCE}

## 第 3 步：第一批数据

连接已经建立。向 echo 服务器发送 \`hello\`。

${FENCE}tcplab send
tcp flags=PA data="hello"
${FENCE}

${FENCE}tcplab check
data="hello" -- 发送 hello 这五个字节。
seq=$tx.seq -- 不带数据的 ACK 不占用序号：沿用同一个 seq。
ack=$rx.seq+1 -- 继续确认服务器的 SYN：它还没有发来别的东西。
${FENCE}

${FENCE}tcplab events
app received data="hello" -- 服务器程序没有读到 hello。
${FENCE}

${FENCE}tcplab expect
recv flags=PA data="hello" -- echo 服务器应当把 hello 发回来。
  ok: echo 服务器把 hello 写了回来，它的内核也确认了你的五个字节。
${FENCE}

${FENCE}tcplab hint
从 ACK 之后你的序号没有变化：\`seq=$tx.seq\`。
${FENCE}

${FENCE}tcplab solution
tcp flags=PA seq=$tx.seq ack=$rx.seq+1 data="hello"
${FENCE}

你逐个报文段建立了一条连接，并通过它发送了数据。
`;
}
