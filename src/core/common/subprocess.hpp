#pragma once
// Running a helper program (Ghostscript for PDF/A) to completion, without a shell: nothing in
// the arguments is interpreted, and the program cannot outlive its time limit.
#include <chrono>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace cst {

struct ProcessOutcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr interleaved, the first 64 KiB
};

// Runs argv[0] (a path, or a name looked up in PATH) with argv, stdin from /dev/null. kUnavailable
// when it cannot be started or runs past `limit` (then it is killed); a non-zero exit is not an
// error here: the caller reads exit_code and output.
Result<ProcessOutcome> runProcess(const std::vector<std::string>& argv,
                                  std::chrono::milliseconds limit);

}  // namespace cst
