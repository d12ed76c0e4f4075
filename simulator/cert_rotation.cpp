#include "simulator/cert_rotation.h"

#include "core/provisioning/provisioning_topics.h"
#include "simulator/factory_request.h"

namespace fd::sim {

CertRotation::CertRotation(QString deviceId, DeviceCertDir dir, const QString &prefix)
    : m_deviceId(std::move(deviceId))
    , m_dir(std::move(dir))
{
    const ProvisioningTopics topics(ProvisioningTopics::kDefaultRoot.toString(), prefix);
    m_csrTopic = topics.rotationCsrTopic(m_deviceId).toStdString();
    m_certTopic = topics.rotationCertTopic(m_deviceId).toStdString();
}

std::optional<QByteArray> CertRotation::begin(qint64 nowMs, QString *error)
{
    const std::optional<FactoryRequest> request = FactoryRequest::rotation(m_deviceId, nowMs, error);
    if (!request)
        return std::nullopt;
    m_pendingKey = request->keyPem;
    m_nonce = request->nonce;
    return request->json;
}

IdentityAnswer CertRotation::onAnswer(QByteArrayView payload)
{
    if (!isPending()) {
        IdentityAnswer ignored;
        ignored.message = QStringLiteral("no rotation under way");
        return ignored;
    }
    IdentityAnswer answer = IdentityAnswer::read(payload, m_nonce, m_pendingKey, m_deviceId);
    if (answer.kind == IdentityAnswer::Kind::Accepted) {
        QString error;
        if (!m_dir.store(m_deviceId, m_pendingKey, answer.certChainPem, &error)) {
            answer.kind = IdentityAnswer::Kind::Rejected;
            answer.reasonKey = QStringLiteral("store_failed");
            answer.message = error;
        }
    }
    if (answer.kind != IdentityAnswer::Kind::Ignored) {
        m_pendingKey.clear();
        m_nonce.clear();
    }
    return answer;
}

} // namespace fd::sim
