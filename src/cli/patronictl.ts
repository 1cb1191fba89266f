// Entry point of the `patronictl` executable; the work lives in ctl/.
console.log('patronictl: not implemented yet');
