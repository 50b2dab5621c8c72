/**
 * What the simulated kernel does by number: the sysctls and constants of Linux 6.x on
 * loopback. Values marked "measured" were read off a real exchange (Linux 6.18, HZ=250,
 * default sysctls, a hand-built client on 127.0.0.1 and ::1 inside `unshare --net`); the
 * others are the kernel's compiled-in constants, named as in its source.
 */

/** Jiffies per second (CONFIG_HZ=250 on the measured kernel): the granularity of TCP timers. */
export const HZ = 250;
export const JIFFY_MS = 1000 / HZ;

/**
 * MSS advertised in SYN and SYN-ACK: the loopback MTU (65536) less the IP and TCP headers,
 * capped for IPv4 at IPV4_MAX_PMTU (65535). Measured: "mss 65495" on 127.0.0.1, "mss 65476"
 * on ::1, whatever MSS the peer offered.
 */
export const ADVMSS = { 4: 65535 - 20 - 20, 6: 65536 - 40 - 20 } as const;

/**
 * The peer's MSS when its SYN carries none: TCP_MSS_DEFAULT for IPv4, and for IPv6 the
 * minimum IPv6 MTU less headers (IPV6_MIN_MTU - 60).
 */
export const DEFAULT_PEER_MSS = { 4: 536, 6: 1220 } as const;

/** net.ipv4.tcp_min_snd_mss: the smallest MSS Linux will send with, whatever the peer said. */
export const MIN_SND_MSS = 48;

/** TCP_MSS_DEFAULT: the initial guess at the peer's segment size (icsk_ack.rcv_mss). */
export const TCP_MSS_DEFAULT = 536;
/** TCP_MIN_MSS. */
export const TCP_MIN_MSS = 88;

/** net.ipv4.tcp_rmem = 4096 131072 33554432 (measured; 6.18's default maximum is 32 MiB). */
export const TCP_RMEM = { initial: 131072, max: 33554432 } as const;
/** net.core.rmem_max (measured). */
export const CORE_RMEM_MAX = 4194304;

/**
 * TCP_DEFAULT_SCALING_RATIO, in 256ths (TCP_RMEM_TO_WIN_SCALE = 8): the share of receive
 * buffer memory offered as window until the first full-sized segment shows the real share.
 */
export const DEFAULT_SCALING_RATIO = 128;

/**
 * The receive space a window is carved from: tcp_win_from_space(), by default with the
 * ratio of one half, so 131072 bytes of buffer offer 65536.
 */
export function winFromSpace(space: number, ratio: number = DEFAULT_SCALING_RATIO): number {
  return Math.max(0, Math.floor((space * ratio) / 256));
}

/** SOCK_MIN_RCVBUF: two minimal sk_buffs (2048 bytes and the sk_buff itself) on x86-64. */
export const SOCK_MIN_RCVBUF = 2 * (2048 + 256);

/**
 * The window scale Linux offers: enough to cover the largest receive buffer it could grow to
 * (tcp_select_initial_window: ilog2(max(tcp_rmem[2], rmem_max)) - 15). Measured: "wscale 10"
 * on 6.18, where tcp_rmem[2] is 32 MiB (kernels with a 6 MiB maximum offer 7).
 */
export const RCV_WSCALE = Math.min(14, Math.max(0, Math.floor(Math.log2(Math.max(65536, TCP_RMEM.max, CORE_RMEM_MAX))) - 15));

/** The largest scale anyone may announce (RFC 7323); larger offers are clamped. */
export const TCP_MAX_WSCALE = 14;

/** TCPOLEN_TSTAMP_ALIGNED: nop, nop, timestamps. */
export const TS_OPTION_SPACE = 12;

/** TCP_TIMEOUT_INIT: RTO before any RTT has been measured, and the first SYN/SYN-ACK timeout. */
export const TIMEOUT_INIT_MS = 1000;
/** TCP_RTO_MIN (net.ipv4.tcp_rto_min_us = 200000) and TCP_RTO_MAX. */
export const RTO_MIN_MS = 200;
export const RTO_MAX_MS = 120_000;
/** TCP_TIMEOUT_MIN: two jiffies, the least a timer can be set to. */
export const TIMEOUT_MIN_MS = 2 * JIFFY_MS;

/**
 * net.ipv4.tcp_synack_retries = 5. Measured: SYN-ACKs at 0, 1, 3, 7, 15 and 31 s, then the
 * request is dropped without a word at 63 s.
 */
export const SYNACK_RETRIES = 5;

/**
 * net.ipv4.tcp_syn_retries = 6 and tcp_syn_linear_timeouts = 4. Measured: a connect() to a
 * silent port sends its SYN at 0, 1, 2, 3, 4, 5 s (the first timeouts do not back off), then
 * at 7, 11, 19, 35 and 67 s, and gives up with ETIMEDOUT a further 64 s on.
 */
export const SYN_RETRIES = 6;
export const SYN_LINEAR_TIMEOUTS = 4;

/** net.ipv4.tcp_retries2 = 15: retransmissions of data or FIN before the connection is dropped. */
export const RETRIES2 = 15;

/** TCP_DELACK_MIN, TCP_DELACK_MAX, TCP_ATO_MIN: the delayed-ACK timer's bounds (HZ/25, HZ/5). */
export const DELACK_MIN_MS = 40;
export const DELACK_MAX_MS = 200;
export const ATO_MIN_MS = 40;
/** TCP_MAX_QUICKACKS: segments ACKed at once at the start of a connection. */
export const MAX_QUICKACKS = 16;
/** net.ipv4.tcp_pingpong_thresh = 1: one quick reply makes a connection "interactive". */
export const PINGPONG_THRESH = 1;

/** TCP_TIMEWAIT_LEN. */
export const TIME_WAIT_MS = 60_000;

/**
 * net.ipv4.tcp_invalid_ratelimit = 500 ms: at most one dup ACK for out-of-window SYNs and pure
 * ACKs, and one challenge ACK, per socket in that span. Measured: segments carrying data are
 * answered every time.
 */
export const INVALID_RATELIMIT_MS = 500;

/** TCP_INIT_CWND. */
export const INIT_CWND = 10;

/** TCP_FASTRETRANS_THRESH. */
export const FASTRETRANS_THRESH = 3;

/** Loopback's default hop limits. */
export const IP_TTL = 64;

/** Ephemeral ports (net.ipv4.ip_local_port_range). */
export const EPHEMERAL_PORTS = { first: 32768, last: 60999 } as const;

/** PAWS gives up on a ts_recent older than this (TCP_PAWS_24DAYS). */
export const PAWS_24DAYS_MS = 24 * 24 * 3600 * 1000;
