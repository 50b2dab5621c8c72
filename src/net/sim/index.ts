export { createSimNetwork, SimNetwork, SimNetworkError, type SimNetworkOptions } from './network.js';
