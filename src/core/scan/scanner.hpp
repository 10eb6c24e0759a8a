#pragma once
// The antivirus scanner every upload path goes through. Only one implementation exists today
// (ClamdScanner, clamd over its socket: libclamav is GPLv2 and is never linked), but callers depend
// on this interface so tests and deployments without clamd can substitute their own.
//
// Contract shared by every implementation:
//  * A file is reported kClean ONLY when the engine confirmed that it scanned the whole file and
//    found nothing. Every doubt (engine unreachable, timeout, file over the size limit, engine
//    limits such as MaxScanSize hit inside an archive, unreadable file, unexpected reply) is
//    kError: the scanner fails closed and the caller must refuse or quarantine the upload.
//  * Calls block (network and file I/O): run them on the worker pool, never on the I/O event loop.
//  * All methods may be called concurrently from any number of threads.
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

#include "common/result.hpp"

namespace cst::scan {

struct ScanVerdict {
  enum class Outcome {
    kClean,     // the engine scanned the whole file and found nothing
    kInfected,  // `signature` names what the engine found
    kError,     // no verdict; `failure` says why, `detail` is for the log
  };
  // Why a kError happened, so the upload path can answer 413 vs 503 without parsing text.
  enum class Failure {
    kNone,            // outcome is not kError
    kTooLarge,        // over the scanner's size limit (never sent) or the engine's stream limit
    kLimitExceeded,   // the engine stopped early at one of its limits (MaxScanSize, MaxFileSize,
                      // MaxRecursion... inside an archive): part of the content was not scanned
    kUnavailable,     // engine unreachable, timed out, or answered something we do not understand
    kFileUnreadable,  // our own file could not be opened or read
  };

  Outcome outcome = Outcome::kError;
  Failure failure = Failure::kUnavailable;
  std::string signature;  // non-empty only for kInfected, e.g. "Cst.Test.EICAR.NDB.UNOFFICIAL"
  std::string detail;     // human-readable reason for kError (and the raw reply otherwise)
  // SHA-256 (hex) of the bytes the engine was given, when it was given the whole file; empty
  // otherwise. Saves the caller a second read of the file to address or record it.
  std::string sha256;

  bool clean() const { return outcome == Outcome::kClean; }
  bool infected() const { return outcome == Outcome::kInfected; }

  static ScanVerdict makeClean(std::string detail = {}) {
    return {Outcome::kClean, Failure::kNone, {}, std::move(detail), {}};
  }
  static ScanVerdict makeInfected(std::string signature, std::string detail = {}) {
    return {Outcome::kInfected, Failure::kNone, std::move(signature), std::move(detail), {}};
  }
  static ScanVerdict makeError(Failure failure, std::string detail) {
    return {Outcome::kError, failure, {}, std::move(detail), {}};
  }
};

// What an upload path returns to its caller: ok only for kClean. Infected and partially scanned
// content is refused as a domain rule (422), an oversized file is 413, an engine outage is 503.
inline Status verdictToStatus(const ScanVerdict& v) {
  using F = ScanVerdict::Failure;
  switch (v.outcome) {
    case ScanVerdict::Outcome::kClean:
      return {};
    case ScanVerdict::Outcome::kInfected:
      return fail(ErrorCode::kRuleViolated, "file rifiutato dall'antivirus: " + v.signature);
    case ScanVerdict::Outcome::kError:
      break;
  }
  switch (v.failure) {
    case F::kTooLarge:
      return fail(ErrorCode::kTooLarge,
                  "file troppo grande per la scansione antivirus: " + v.detail);
    case F::kLimitExceeded:
      return fail(ErrorCode::kRuleViolated,
                  "il file non ha potuto essere analizzato per intero: " + v.detail);
    case F::kFileUnreadable:
      return fail(ErrorCode::kInternal, "scansione non riuscita: " + v.detail);
    case F::kNone:
    case F::kUnavailable:
      break;
  }
  return fail(ErrorCode::kUnavailable, "antivirus non disponibile: " + v.detail);
}

struct EngineInfo {
  std::string engine_version;                 // "1.4.6"
  std::optional<long> signature_version;      // daily database version; absent with a test DB
  std::optional<std::string> signature_date;  // daily build date as clamd prints it
};

class Scanner {
 public:
  virtual ~Scanner() = default;

  // Scans the regular file at `path`. The caller must not modify the file during the call (scan a
  // private temporary copy of the upload, then move it into place): the verdict applies to the
  // bytes that were read.
  virtual ScanVerdict scanFile(const std::filesystem::path& path) = 0;

  // Engine and signature versions, for health pages and the endpoint-freshness report.
  // kUnavailable when the engine cannot be reached or answers something unexpected.
  virtual Result<EngineInfo> engineInfo() = 0;

  // True when the engine answers right now. A true ping does not make a later scan succeed.
  virtual bool ping() = 0;
};

}  // namespace cst::scan
