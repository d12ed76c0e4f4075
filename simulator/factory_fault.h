#pragma once

#include <QList>
#include <QString>

namespace fd::sim {

// What a factory-state device does wrong on purpose (--factory-fault KIND[,KIND]), each
// answered by FleetDeck with its own reason (docs/protocol.md "Provisioning"):
//   wrong-claim    claim hash of a claim code that is not the label's   -> wrong_claim
//   bad-csr        CSR signature broken (one byte of it flipped)        -> bad_csr_signature
//   wrong-subject  CSR CN is not the device id asked for                -> subject_mismatch
//   weak-key       P-192 key                                            -> weak_key
//   replay         the same request (same nonce) sent twice             -> replay (the 2nd)
//   expired        "ts" two hours in the past                           -> expired
// A device keeps its faults on every attempt (so a retry is refused the same way).
enum class FactoryFault { WrongClaim, BadCsr, WrongSubject, WeakKey, Replay, Expired };

class FactoryFaults
{
public:
    bool has(FactoryFault fault) const { return m_faults.contains(fault); }
    bool isEmpty() const { return m_faults.isEmpty(); }
    void add(FactoryFault fault);
    QList<FactoryFault> list() const { return m_faults; }
    QString toString() const;  // "wrong-claim,replay"

    static QString key(FactoryFault fault);
    static QList<FactoryFault> all();
    // "KIND[,KIND...]" (repeatable: adds to *faults); false with *why naming the bad part.
    static bool parse(const QString &spec, FactoryFaults *faults, QString *why);

private:
    QList<FactoryFault> m_faults;
};

} // namespace fd::sim
