#pragma once
// PaymentEvents (include/payments/api.hpp) as the service provides it: the subscribers, called
// after each payment's commit, and the durable stream read from the receipts.
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include "payments/api.hpp"

namespace cst::payments {

class EventHub final : public PaymentEvents {
 public:
  using Reader = std::function<Result<std::vector<PaymentReceived>>(std::int64_t, int)>;
  explicit EventHub(Reader reader) : reader_(std::move(reader)) {}

  void subscribe(Listener listener) override {
    std::lock_guard lock(mutex_);
    listeners_.push_back(std::move(listener));
  }
  Result<std::vector<PaymentReceived>> paymentsAfter(std::int64_t sequence, int limit) override {
    return reader_(sequence, limit);
  }
  // Calls every subscriber; one that throws does not keep the others from hearing it.
  void publish(const PaymentReceived& payment);

 private:
  Reader reader_;
  std::mutex mutex_;
  std::vector<Listener> listeners_;
};

}  // namespace cst::payments
