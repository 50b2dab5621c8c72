/**
 * Ink checks CI and CONTINUOUS_INTEGRATION once, as it loads, and then draws nothing but the
 * last frame. tcplab's screens run only on a terminal a person uses, so modules that pull in
 * Ink load with those variables hidden (nothing else in tcplab reads them), and they are put
 * back once loading is done.
 */
export function loadWithoutCiVariables<T>(load: () => Promise<T>): Promise<T> {
  const hidden: Array<[string, string]> = [];
  for (const name of ['CI', 'CONTINUOUS_INTEGRATION']) {
    const value = process.env[name];
    if (value === undefined) continue;
    hidden.push([name, value]);
    delete process.env[name];
  }
  return load().finally(() => {
    for (const [name, value] of hidden) process.env[name] = value;
  });
}
