// The remote lab: the client's Network (tcplab --net ws://HOST:PORT) and the daemon's launcher
// (tcplab lab serve). docs/lab-protocol.md describes what they say to each other.
export { connectWsNetwork, WsConnectError, WsNetwork, WsRequestError, type WsNetworkOptions } from './ws-network.js';
export { DAEMON_DEFAULTS, LabDaemonError, LabDaemonProcess, startLabDaemon, type LabDaemonOptions } from './daemon-launcher.js';
export { CloseCode, PROTOCOL_VERSION } from './protocol.js';
export { readClientToken, TOKEN_ENV, TokenFileError } from './tokens.js';
