// The public API notebooks import as "kernel-lib". Notebooks import nothing else from the library.
export const VERSION = "0.1.0";
