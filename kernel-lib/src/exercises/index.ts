// The check functions of the course's exercises, one namespace per notebook:
// `kl.exercises.ch01.checkRnnStep(rnnStep)` in notebook 01, and so on.
export * as ch01 from "./ch01";
export * as ch02 from "./ch02";
export * as ch03 from "./ch03";
export * as ch04 from "./ch04";
export * as ch05 from "./ch05";
export * as ch06 from "./ch06";
export * as ch07 from "./ch07";
export * as ch08 from "./ch08";
export * as ch09 from "./ch09";
export * as ch10 from "./ch10";
export * as ch11 from "./ch11";
export * as ch12 from "./ch12";
export * as ch13 from "./ch13";
export * as capstone1 from "./capstone1";
export * as capstone2 from "./capstone2";
