// Entry point of the `patroni` executable; the work lives in daemon/ and config/.
console.log('patroni-ts: not implemented yet');
