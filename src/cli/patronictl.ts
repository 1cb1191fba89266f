// Entry point of the `patronictl` executable; the work lives in ctl/.
import { runCtl } from '../ctl/main.js';
import { processRuntime } from '../ctl/runtime.js';

const code = await runCtl(process.argv.slice(2), processRuntime());
// DCS clients may keep sockets half-closed for a while; patronictl is done.
process.exit(code);
