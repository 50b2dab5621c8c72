// Known-good packets as hex. Those marked scapy were built with Debian's python3-scapy 2.5.0
// (the expression is given); those marked loopback were captured with tshark on `lo` of a
// Linux 6.18 kernel while a Python client talked to a Python server, so they carry the
// partial checksums Linux leaves on loopback.

/** scapy: IP(src='127.0.0.1',dst='127.0.0.1')/TCP(sport=40001,dport=7,flags='S',seq=1000,
 *  options=[('MSS',1460),('SAckOK',b''),('Timestamp',(1,0)),('NOP',None),('WScale',7)]) */
export const SYN_LINUX_ORDER =
  '4500003c0001000040067cb97f0000017f0000019c410007000003e800000000a002200089cc0000020405b40402080a000000010000000001030307';

/** scapy: IPv6(src='::1',dst='::1')/TCP(sport=40001,dport=7,flags='SA',seq=1000,ack=2000,window=65535,options=[('MSS',1440)]) */
export const SYN_ACK_V6 =
  '600000000018064000000000000000000000000000000001000000000000000000000000000000019c410007000003e8000007d06012fffff0280000020405a0';

/** scapy: IP(src='10.0.0.1',dst='10.0.0.2',id=7)/TCP(sport=1234,dport=80,flags='PA',seq=5,ack=6)/b'hello' */
export const DATA_HELLO = '4500002d00070000400666c20a0000010a00000204d2005000000005000000065018200032c6000068656c6c6f';

/** scapy: IP(src='192.0.2.1',dst='198.51.100.2',id=0x1234,ttl=1,tos=0x10)/TCP(sport=1,dport=65535,
 *  flags='FSRPAUECN',seq=0xffffffff,ack=0x80000000,window=0,urgptr=0xbeef); N is AE (formerly NS) */
export const ALL_FLAGS = '45100028123400000106bb55c0000201c63364020001ffffffffffff8000000051ff000082bdbeef';

/** scapy: IP(src='10.0.0.1',dst='10.0.0.2',options=[IPOption_NOP(),IPOption_Router_Alert()])/TCP(sport=1234,dport=80,flags='S',seq=1) */
export const IP_OPTIONS = '470000300001000040065f310a0000010a000002019404000000000004d2005000000001000000005002200076bd0000';

/** scapy: IP(src='10.0.0.1',dst='10.0.0.2',options=[IPOption_RR(routers=[])])/TCP(sport=1234,dport=80,flags='S',seq=1):
 *  three bytes of options and one of padding */
export const IP_OPTIONS_PADDED = '4600002c0001000040065ac60a0000010a0000020703040004d2005000000001000000005002200076bd0000';

/** scapy: IP(src='10.0.0.1',dst='10.0.0.2')/TCP(sport=1234,dport=80,flags='A',seq=1,ack=2,
 *  options=[('NOP',None),('NOP',None),('SAck',(1000,2000,3000,4000))]) */
export const SACK_TWO_BLOCKS =
  '4500003c00010000400666b90a0000010a00000204d200500000000100000002a0102000f975000001010512000003e8000007d000000bb800000fa0';

/** scapy: as SACK_TWO_BLOCKS with ('SAck',(1,2,3,4,5,6,7,8)): four blocks, the most that fit */
export const SACK_FOUR_BLOCKS =
  '4500004c00010000400666a90a0000010a00000204d200500000000100000002e0102000e0410000010105220000000100000002000000030000000400000005000000060000000700000008';

/** scapy: IP(src='10.0.0.1',dst='10.0.0.2')/TCP(sport=1234,dport=80,flags='S',seq=1,options=[(30,b'\x01\x02\x03'),(34,b'')]):
 *  MPTCP (30) and TCP Fast Open (34), kinds the codec does not name */
export const UNKNOWN_OPTIONS = '4500003000010000400666c50a0000010a00000204d20050000000010000000070022000328c00001e05010203220200';

/** scapy: ...TCP(sport=1234,dport=80,flags='S',seq=1,options=[('WScale',14)]): one byte of padding */
export const WSCALE_PADDED = '4500002c00010000400666c90a0000010a00000204d2005000000001000000006002200055b6000003030e00';

/** scapy: ...TCP(sport=1234,dport=80,flags='S',seq=1,options=[('MSS',536),('EOL',None)]): EOL, then padding */
export const MSS_EOL = '4500003000010000400666c50a0000010a00000204d20050000000010000000070022000529900000204021800000000';

/** scapy: IP(src='10.0.0.1',dst='10.0.0.2')/UDP(sport=53,dport=5353)/b'abcd' */
export const UDP_V4 = '4500002000010000401166ca0a0000010a000002003514e9000c11ef61626364';

/** scapy: IPv6(src='2001:db8::1',dst='2001:db8::2',tc=0xb8,fl=0xabcde,hlim=3)/TCP(sport=443,dport=50000,flags='PA',seq=7,ack=8,window=502)/b'data!' */
export const DATA_V6 =
  '6b8abcde0019060320010db800000000000000000000000120010db800000000000000000000000201bbc3500000000700000008501801f6937f00006461746121';

/** scapy: IPv6(src='fe80::1',dst='ff02::1')/UDP(sport=1,dport=2)/b'x' */
export const UDP_V6 = '6000000000091140fe800000000000000000000000000001ff0200000000000000000000000000010001000200098a5378';

/** scapy: IP(src='10.0.0.1',dst='10.0.0.2',flags='MF',frag=0,id=9)/TCP(sport=1234,dport=80,flags='PA',seq=1,ack=1)/b'first part' */
export const FIRST_FRAGMENT = '4500003200092000400646bb0a0000010a00000204d2005000000001000000015018200046c9000066697273742070617274';

/** scapy: IP(src='10.0.0.1',dst='10.0.0.2',frag=3,id=9,proto=6)/b'tail bytes' */
export const LATER_FRAGMENT = '4500001e00090003400666cc0a0000010a0000027461696c206279746573';

/** scapy: IP(src='10.0.0.1',dst='10.0.0.2',flags='evil+DF')/TCP(sport=1234,dport=80,flags='R',seq=1,reserved=5) */
export const RESERVED_BITS = '450000280001c0004006a6cc0a0000010a00000204d2005000000001000000005a0420006cbb0000';

/** loopback: a Linux SYN to 127.0.0.1:47011, checksum 0xfe30 is the pseudo-header sum only */
export const LOOPBACK_SYN =
  '4500003cfbfe4000400640bb7f0000017f0000018f46b7a3313b1f6e00000000a002ffd7fe3000000204ffd70402080a544a320c000000000103030a';

/** loopback: the SYN-ACK Linux answered it with */
export const LOOPBACK_SYN_ACK =
  '4500003c0000400040063cba7f0000017f000001b7a38f4624a405a5313b1f6fa012ffcbfe3000000204ffd70402080a330fdd07544a320c0103030a';

/** loopback: five bytes of data, PSH-ACK */
export const LOOPBACK_DATA =
  '45000039fc004000400640bc7f0000017f0000018f46b7a3313b1f6f24a405a680180040fe2d00000101080a544a320c330fdd0768656c6c6f';

/** loopback: a Linux SYN to [::1]:47011 */
export const LOOPBACK_SYN_V6 =
  '6004c765002806400000000000000000000000000000000100000000000000000000000000000001b136b7a3225c288b00000000a002ffc4003000000204ffc40402080a6f659e1e000000000103030a';

/** loopback: three bytes of data over IPv6 */
export const LOOPBACK_DATA_V6 =
  '6004c765002306400000000000000000000000000000000100000000000000000000000000000001b136b7a3225c288cdb3637c280180040002b00000101080a6f659e1e4717edd4686936';

/** Every fixture above, by name, for tests that go over all of them. */
export const ALL_FIXTURES: Record<string, string> = {
  SYN_LINUX_ORDER,
  SYN_ACK_V6,
  DATA_HELLO,
  ALL_FLAGS,
  IP_OPTIONS,
  IP_OPTIONS_PADDED,
  SACK_TWO_BLOCKS,
  SACK_FOUR_BLOCKS,
  UNKNOWN_OPTIONS,
  WSCALE_PADDED,
  MSS_EOL,
  UDP_V4,
  DATA_V6,
  UDP_V6,
  FIRST_FRAGMENT,
  LATER_FRAGMENT,
  RESERVED_BITS,
  LOOPBACK_SYN,
  LOOPBACK_SYN_ACK,
  LOOPBACK_DATA,
  LOOPBACK_SYN_V6,
  LOOPBACK_DATA_V6,
};
