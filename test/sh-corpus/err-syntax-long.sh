# Longer than 4 KiB, so that pika sh parses it whole before running it (applets/sh.ts):
# the commands before the syntax error still run, and the error names its line.
f0() { echo "function number 0 says: $1 ($# arguments)"; }
f1() { echo "function number 1 says: $1 ($# arguments)"; }
f2() { echo "function number 2 says: $1 ($# arguments)"; }
f3() { echo "function number 3 says: $1 ($# arguments)"; }
f4() { echo "function number 4 says: $1 ($# arguments)"; }
f5() { echo "function number 5 says: $1 ($# arguments)"; }
f6() { echo "function number 6 says: $1 ($# arguments)"; }
f7() { echo "function number 7 says: $1 ($# arguments)"; }
f8() { echo "function number 8 says: $1 ($# arguments)"; }
f9() { echo "function number 9 says: $1 ($# arguments)"; }
f10() { echo "function number 10 says: $1 ($# arguments)"; }
f11() { echo "function number 11 says: $1 ($# arguments)"; }
f12() { echo "function number 12 says: $1 ($# arguments)"; }
f13() { echo "function number 13 says: $1 ($# arguments)"; }
f14() { echo "function number 14 says: $1 ($# arguments)"; }
f15() { echo "function number 15 says: $1 ($# arguments)"; }
f16() { echo "function number 16 says: $1 ($# arguments)"; }
f17() { echo "function number 17 says: $1 ($# arguments)"; }
f18() { echo "function number 18 says: $1 ($# arguments)"; }
f19() { echo "function number 19 says: $1 ($# arguments)"; }
f20() { echo "function number 20 says: $1 ($# arguments)"; }
f21() { echo "function number 21 says: $1 ($# arguments)"; }
f22() { echo "function number 22 says: $1 ($# arguments)"; }
f23() { echo "function number 23 says: $1 ($# arguments)"; }
f24() { echo "function number 24 says: $1 ($# arguments)"; }
f25() { echo "function number 25 says: $1 ($# arguments)"; }
f26() { echo "function number 26 says: $1 ($# arguments)"; }
f27() { echo "function number 27 says: $1 ($# arguments)"; }
f28() { echo "function number 28 says: $1 ($# arguments)"; }
f29() { echo "function number 29 says: $1 ($# arguments)"; }
f30() { echo "function number 30 says: $1 ($# arguments)"; }
f31() { echo "function number 31 says: $1 ($# arguments)"; }
f32() { echo "function number 32 says: $1 ($# arguments)"; }
f33() { echo "function number 33 says: $1 ($# arguments)"; }
f34() { echo "function number 34 says: $1 ($# arguments)"; }
f35() { echo "function number 35 says: $1 ($# arguments)"; }
f36() { echo "function number 36 says: $1 ($# arguments)"; }
f37() { echo "function number 37 says: $1 ($# arguments)"; }
f38() { echo "function number 38 says: $1 ($# arguments)"; }
f39() { echo "function number 39 says: $1 ($# arguments)"; }
f40() { echo "function number 40 says: $1 ($# arguments)"; }
f41() { echo "function number 41 says: $1 ($# arguments)"; }
f42() { echo "function number 42 says: $1 ($# arguments)"; }
f43() { echo "function number 43 says: $1 ($# arguments)"; }
f44() { echo "function number 44 says: $1 ($# arguments)"; }
f45() { echo "function number 45 says: $1 ($# arguments)"; }
f46() { echo "function number 46 says: $1 ($# arguments)"; }
f47() { echo "function number 47 says: $1 ($# arguments)"; }
f48() { echo "function number 48 says: $1 ($# arguments)"; }
f49() { echo "function number 49 says: $1 ($# arguments)"; }
f50() { echo "function number 50 says: $1 ($# arguments)"; }
f51() { echo "function number 51 says: $1 ($# arguments)"; }
f52() { echo "function number 52 says: $1 ($# arguments)"; }
f53() { echo "function number 53 says: $1 ($# arguments)"; }
f54() { echo "function number 54 says: $1 ($# arguments)"; }
f55() { echo "function number 55 says: $1 ($# arguments)"; }
f56() { echo "function number 56 says: $1 ($# arguments)"; }
f57() { echo "function number 57 says: $1 ($# arguments)"; }
f58() { echo "function number 58 says: $1 ($# arguments)"; }
f59() { echo "function number 59 says: $1 ($# arguments)"; }
f60() { echo "function number 60 says: $1 ($# arguments)"; }
f61() { echo "function number 61 says: $1 ($# arguments)"; }
f62() { echo "function number 62 says: $1 ($# arguments)"; }
f63() { echo "function number 63 says: $1 ($# arguments)"; }
f64() { echo "function number 64 says: $1 ($# arguments)"; }
f65() { echo "function number 65 says: $1 ($# arguments)"; }
f66() { echo "function number 66 says: $1 ($# arguments)"; }
f67() { echo "function number 67 says: $1 ($# arguments)"; }
f68() { echo "function number 68 says: $1 ($# arguments)"; }
f69() { echo "function number 69 says: $1 ($# arguments)"; }
f70() { echo "function number 70 says: $1 ($# arguments)"; }
f71() { echo "function number 71 says: $1 ($# arguments)"; }
f72() { echo "function number 72 says: $1 ($# arguments)"; }
f73() { echo "function number 73 says: $1 ($# arguments)"; }
f74() { echo "function number 74 says: $1 ($# arguments)"; }
f75() { echo "function number 75 says: $1 ($# arguments)"; }
f76() { echo "function number 76 says: $1 ($# arguments)"; }
f77() { echo "function number 77 says: $1 ($# arguments)"; }
f78() { echo "function number 78 says: $1 ($# arguments)"; }
f79() { echo "function number 79 says: $1 ($# arguments)"; }
f80() { echo "function number 80 says: $1 ($# arguments)"; }
f81() { echo "function number 81 says: $1 ($# arguments)"; }
f82() { echo "function number 82 says: $1 ($# arguments)"; }
f83() { echo "function number 83 says: $1 ($# arguments)"; }
f84() { echo "function number 84 says: $1 ($# arguments)"; }
f85() { echo "function number 85 says: $1 ($# arguments)"; }
f86() { echo "function number 86 says: $1 ($# arguments)"; }
f87() { echo "function number 87 says: $1 ($# arguments)"; }
f88() { echo "function number 88 says: $1 ($# arguments)"; }
f89() { echo "function number 89 says: $1 ($# arguments)"; }
f90() { echo "function number 90 says: $1 ($# arguments)"; }
f91() { echo "function number 91 says: $1 ($# arguments)"; }
f92() { echo "function number 92 says: $1 ($# arguments)"; }
f93() { echo "function number 93 says: $1 ($# arguments)"; }
f94() { echo "function number 94 says: $1 ($# arguments)"; }
f95() { echo "function number 95 says: $1 ($# arguments)"; }
f96() { echo "function number 96 says: $1 ($# arguments)"; }
f97() { echo "function number 97 says: $1 ($# arguments)"; }
f98() { echo "function number 98 says: $1 ($# arguments)"; }
f99() { echo "function number 99 says: $1 ($# arguments)"; }
f0 called with args
f9 called with args
f18 called with args
f27 called with args
f36 called with args
f45 called with args
f54 called with args
f63 called with args
f72 called with args
f81 called with args
f90 called with args
f99 called with args
x=$(f3 sub); echo "$x"
if true; then echo before-error
fi fi
echo never
