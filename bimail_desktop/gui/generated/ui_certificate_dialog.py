# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'certificate_dialog.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QFormLayout, QHBoxLayout, QLabel, QPushButton,
    QSizePolicy, QSpacerItem, QVBoxLayout, QWidget)

class Ui_CertificateDialog(object):
    def setupUi(self, certificateDialog):
        if not certificateDialog.objectName():
            certificateDialog.setObjectName(u"certificateDialog")
        certificateDialog.setMinimumSize(QSize(560, 0))
        self.dialogLayout = QVBoxLayout(certificateDialog)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.certificateReasonLabel = QLabel(certificateDialog)
        self.certificateReasonLabel.setObjectName(u"certificateReasonLabel")
        self.certificateReasonLabel.setText(u"")
        self.certificateReasonLabel.setWordWrap(True)

        self.dialogLayout.addWidget(self.certificateReasonLabel)

        self.certificateForm = QFormLayout()
        self.certificateForm.setObjectName(u"certificateForm")
        self.serverCaptionLabel = QLabel(certificateDialog)
        self.serverCaptionLabel.setObjectName(u"serverCaptionLabel")

        self.certificateForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.serverCaptionLabel)

        self.certificateServerLabel = QLabel(certificateDialog)
        self.certificateServerLabel.setObjectName(u"certificateServerLabel")
        self.certificateServerLabel.setText(u"")
        self.certificateServerLabel.setWordWrap(True)
        self.certificateServerLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.certificateForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.certificateServerLabel)

        self.issuedToCaptionLabel = QLabel(certificateDialog)
        self.issuedToCaptionLabel.setObjectName(u"issuedToCaptionLabel")

        self.certificateForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.issuedToCaptionLabel)

        self.certificateSubjectLabel = QLabel(certificateDialog)
        self.certificateSubjectLabel.setObjectName(u"certificateSubjectLabel")
        self.certificateSubjectLabel.setText(u"")
        self.certificateSubjectLabel.setWordWrap(True)
        self.certificateSubjectLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.certificateForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.certificateSubjectLabel)

        self.issuedByCaptionLabel = QLabel(certificateDialog)
        self.issuedByCaptionLabel.setObjectName(u"issuedByCaptionLabel")

        self.certificateForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.issuedByCaptionLabel)

        self.certificateIssuerLabel = QLabel(certificateDialog)
        self.certificateIssuerLabel.setObjectName(u"certificateIssuerLabel")
        self.certificateIssuerLabel.setText(u"")
        self.certificateIssuerLabel.setWordWrap(True)
        self.certificateIssuerLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.certificateForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.certificateIssuerLabel)

        self.namesCaptionLabel = QLabel(certificateDialog)
        self.namesCaptionLabel.setObjectName(u"namesCaptionLabel")

        self.certificateForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.namesCaptionLabel)

        self.certificateNamesLabel = QLabel(certificateDialog)
        self.certificateNamesLabel.setObjectName(u"certificateNamesLabel")
        self.certificateNamesLabel.setText(u"")
        self.certificateNamesLabel.setWordWrap(True)
        self.certificateNamesLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.certificateForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.certificateNamesLabel)

        self.validFromCaptionLabel = QLabel(certificateDialog)
        self.validFromCaptionLabel.setObjectName(u"validFromCaptionLabel")

        self.certificateForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.validFromCaptionLabel)

        self.certificateValidFromLabel = QLabel(certificateDialog)
        self.certificateValidFromLabel.setObjectName(u"certificateValidFromLabel")
        self.certificateValidFromLabel.setText(u"")
        self.certificateValidFromLabel.setWordWrap(True)
        self.certificateValidFromLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.certificateForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.certificateValidFromLabel)

        self.validUntilCaptionLabel = QLabel(certificateDialog)
        self.validUntilCaptionLabel.setObjectName(u"validUntilCaptionLabel")

        self.certificateForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.validUntilCaptionLabel)

        self.certificateValidUntilLabel = QLabel(certificateDialog)
        self.certificateValidUntilLabel.setObjectName(u"certificateValidUntilLabel")
        self.certificateValidUntilLabel.setText(u"")
        self.certificateValidUntilLabel.setWordWrap(True)
        self.certificateValidUntilLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.certificateForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.certificateValidUntilLabel)

        self.fingerprintCaptionLabel = QLabel(certificateDialog)
        self.fingerprintCaptionLabel.setObjectName(u"fingerprintCaptionLabel")

        self.certificateForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.fingerprintCaptionLabel)

        self.certificateFingerprintLabel = QLabel(certificateDialog)
        self.certificateFingerprintLabel.setObjectName(u"certificateFingerprintLabel")
        self.certificateFingerprintLabel.setText(u"")
        self.certificateFingerprintLabel.setWordWrap(True)
        self.certificateFingerprintLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.certificateForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.certificateFingerprintLabel)

        self.trustedBeforeCaptionLabel = QLabel(certificateDialog)
        self.trustedBeforeCaptionLabel.setObjectName(u"trustedBeforeCaptionLabel")

        self.certificateForm.setWidget(7, QFormLayout.ItemRole.LabelRole, self.trustedBeforeCaptionLabel)

        self.certificateExpectedLabel = QLabel(certificateDialog)
        self.certificateExpectedLabel.setObjectName(u"certificateExpectedLabel")
        self.certificateExpectedLabel.setText(u"")
        self.certificateExpectedLabel.setWordWrap(True)
        self.certificateExpectedLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.certificateForm.setWidget(7, QFormLayout.ItemRole.FieldRole, self.certificateExpectedLabel)


        self.dialogLayout.addLayout(self.certificateForm)

        self.certificateAcceptLabel = QLabel(certificateDialog)
        self.certificateAcceptLabel.setObjectName(u"certificateAcceptLabel")
        self.certificateAcceptLabel.setText(u"")
        self.certificateAcceptLabel.setWordWrap(True)

        self.dialogLayout.addWidget(self.certificateAcceptLabel)

        self.certificateStatusLabel = QLabel(certificateDialog)
        self.certificateStatusLabel.setObjectName(u"certificateStatusLabel")
        self.certificateStatusLabel.setText(u"")
        self.certificateStatusLabel.setWordWrap(True)

        self.dialogLayout.addWidget(self.certificateStatusLabel)

        self.buttonRow = QHBoxLayout()
        self.buttonRow.setObjectName(u"buttonRow")
        self.buttonRowSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonRow.addItem(self.buttonRowSpacer)

        self.trustThisCertificateButton = QPushButton(certificateDialog)
        self.trustThisCertificateButton.setObjectName(u"trustThisCertificateButton")

        self.buttonRow.addWidget(self.trustThisCertificateButton)

        self.importCaButton = QPushButton(certificateDialog)
        self.importCaButton.setObjectName(u"importCaButton")

        self.buttonRow.addWidget(self.importCaButton)

        self.manageTrustButton = QPushButton(certificateDialog)
        self.manageTrustButton.setObjectName(u"manageTrustButton")

        self.buttonRow.addWidget(self.manageTrustButton)

        self.certificateButtonBox = QDialogButtonBox(certificateDialog)
        self.certificateButtonBox.setObjectName(u"certificateButtonBox")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        sizePolicy.setHorizontalStretch(0)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.certificateButtonBox.sizePolicy().hasHeightForWidth())
        self.certificateButtonBox.setSizePolicy(sizePolicy)
        self.certificateButtonBox.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.buttonRow.addWidget(self.certificateButtonBox)


        self.dialogLayout.addLayout(self.buttonRow)

#if QT_CONFIG(shortcut)
        self.serverCaptionLabel.setBuddy(self.certificateServerLabel)
        self.issuedToCaptionLabel.setBuddy(self.certificateSubjectLabel)
        self.issuedByCaptionLabel.setBuddy(self.certificateIssuerLabel)
        self.namesCaptionLabel.setBuddy(self.certificateNamesLabel)
        self.validFromCaptionLabel.setBuddy(self.certificateValidFromLabel)
        self.validUntilCaptionLabel.setBuddy(self.certificateValidUntilLabel)
        self.fingerprintCaptionLabel.setBuddy(self.certificateFingerprintLabel)
        self.trustedBeforeCaptionLabel.setBuddy(self.certificateExpectedLabel)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.trustThisCertificateButton, self.importCaButton)
        QWidget.setTabOrder(self.importCaButton, self.manageTrustButton)
        QWidget.setTabOrder(self.manageTrustButton, self.certificateButtonBox)

        self.retranslateUi(certificateDialog)

        QMetaObject.connectSlotsByName(certificateDialog)
    # setupUi

    def retranslateUi(self, certificateDialog):
        certificateDialog.setWindowTitle(QCoreApplication.translate("CertificateDialog", u"Server certificate", None))
        self.serverCaptionLabel.setText(QCoreApplication.translate("CertificateDialog", u"Server:", None))
        self.issuedToCaptionLabel.setText(QCoreApplication.translate("CertificateDialog", u"Issued to:", None))
        self.issuedByCaptionLabel.setText(QCoreApplication.translate("CertificateDialog", u"Issued by:", None))
        self.namesCaptionLabel.setText(QCoreApplication.translate("CertificateDialog", u"Names:", None))
        self.validFromCaptionLabel.setText(QCoreApplication.translate("CertificateDialog", u"Valid from:", None))
        self.validUntilCaptionLabel.setText(QCoreApplication.translate("CertificateDialog", u"Valid until:", None))
        self.fingerprintCaptionLabel.setText(QCoreApplication.translate("CertificateDialog", u"SHA-256 fingerprint:", None))
        self.trustedBeforeCaptionLabel.setText(QCoreApplication.translate("CertificateDialog", u"Trusted before:", None))
        self.trustThisCertificateButton.setText(QCoreApplication.translate("CertificateDialog", u"Trust this certificate", None))
        self.importCaButton.setText(QCoreApplication.translate("CertificateDialog", u"Import CA certificate\u2026", None))
        self.manageTrustButton.setText(QCoreApplication.translate("CertificateDialog", u"Trusted certificates\u2026", None))
    # retranslateUi
