// The benchmark executable: `swift run -c release keyform-bench [NAME...]`.
print("keyform-bench: no benchmarks yet")
