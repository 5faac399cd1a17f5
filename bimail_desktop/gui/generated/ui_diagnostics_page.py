# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'diagnostics_page.ui'
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
from PySide6.QtWidgets import (QApplication, QComboBox, QGridLayout, QGroupBox,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QSizePolicy, QSpacerItem,
    QSpinBox, QSplitter, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget)

class Ui_DiagnosticsPage(object):
    def setupUi(self, diagnosticsPage):
        if not diagnosticsPage.objectName():
            diagnosticsPage.setObjectName(u"diagnosticsPage")
        diagnosticsPage.resize(860, 620)
        self.pageLayout = QVBoxLayout(diagnosticsPage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.diagIntroLabel = QLabel(diagnosticsPage)
        self.diagIntroLabel.setObjectName(u"diagIntroLabel")
        self.diagIntroLabel.setWordWrap(True)

        self.pageLayout.addWidget(self.diagIntroLabel)

        self.diagServerGroup = QGroupBox(diagnosticsPage)
        self.diagServerGroup.setObjectName(u"diagServerGroup")
        self.diagForm = QGridLayout(self.diagServerGroup)
        self.diagForm.setObjectName(u"diagForm")
        self.diagSenderLabel = QLabel(self.diagServerGroup)
        self.diagSenderLabel.setObjectName(u"diagSenderLabel")

        self.diagForm.addWidget(self.diagSenderLabel, 0, 0, 1, 1)

        self.diagSenderCombo = QComboBox(self.diagServerGroup)
        self.diagSenderCombo.setObjectName(u"diagSenderCombo")

        self.diagForm.addWidget(self.diagSenderCombo, 0, 1, 1, 1)

        self.diagServerLabel = QLabel(self.diagServerGroup)
        self.diagServerLabel.setObjectName(u"diagServerLabel")

        self.diagForm.addWidget(self.diagServerLabel, 1, 0, 1, 1)

        self.diagServerCombo = QComboBox(self.diagServerGroup)
        self.diagServerCombo.setObjectName(u"diagServerCombo")
        self.diagServerCombo.setEditable(True)
        self.diagServerCombo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)

        self.diagForm.addWidget(self.diagServerCombo, 1, 1, 1, 1)

        self.diagPortLabel = QLabel(self.diagServerGroup)
        self.diagPortLabel.setObjectName(u"diagPortLabel")

        self.diagForm.addWidget(self.diagPortLabel, 1, 2, 1, 1)

        self.portRow = QHBoxLayout()
        self.portRow.setObjectName(u"portRow")
        self.diagPortSpin = QSpinBox(self.diagServerGroup)
        self.diagPortSpin.setObjectName(u"diagPortSpin")
        self.diagPortSpin.setMinimum(1)
        self.diagPortSpin.setMaximum(65535)
        self.diagPortSpin.setValue(25)

        self.portRow.addWidget(self.diagPortSpin)

        self.diagEncryptionLabel = QLabel(self.diagServerGroup)
        self.diagEncryptionLabel.setObjectName(u"diagEncryptionLabel")

        self.portRow.addWidget(self.diagEncryptionLabel)

        self.diagEncryptionCombo = QComboBox(self.diagServerGroup)
        self.diagEncryptionCombo.setObjectName(u"diagEncryptionCombo")

        self.portRow.addWidget(self.diagEncryptionCombo)

        self.portRowSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.portRow.addItem(self.portRowSpacer)


        self.diagForm.addLayout(self.portRow, 1, 3, 1, 1)

        self.diagUsernameLabel = QLabel(self.diagServerGroup)
        self.diagUsernameLabel.setObjectName(u"diagUsernameLabel")

        self.diagForm.addWidget(self.diagUsernameLabel, 2, 0, 1, 1)

        self.diagUsernameEdit = QLineEdit(self.diagServerGroup)
        self.diagUsernameEdit.setObjectName(u"diagUsernameEdit")

        self.diagForm.addWidget(self.diagUsernameEdit, 2, 1, 1, 1)

        self.diagPasswordLabel = QLabel(self.diagServerGroup)
        self.diagPasswordLabel.setObjectName(u"diagPasswordLabel")

        self.diagForm.addWidget(self.diagPasswordLabel, 2, 2, 1, 1)

        self.diagPasswordEdit = QLineEdit(self.diagServerGroup)
        self.diagPasswordEdit.setObjectName(u"diagPasswordEdit")
        self.diagPasswordEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.diagForm.addWidget(self.diagPasswordEdit, 2, 3, 1, 1)

        self.diagRecipientLabel = QLabel(self.diagServerGroup)
        self.diagRecipientLabel.setObjectName(u"diagRecipientLabel")

        self.diagForm.addWidget(self.diagRecipientLabel, 0, 2, 1, 1)

        self.diagRecipientEdit = QLineEdit(self.diagServerGroup)
        self.diagRecipientEdit.setObjectName(u"diagRecipientEdit")

        self.diagForm.addWidget(self.diagRecipientEdit, 0, 3, 1, 1)

        self.diagForm.setColumnStretch(1, 3)
        self.diagForm.setColumnStretch(3, 2)

        self.pageLayout.addWidget(self.diagServerGroup)

        self.buttonRow = QHBoxLayout()
        self.buttonRow.setObjectName(u"buttonRow")
        self.runDiagnosticsButton = QPushButton(diagnosticsPage)
        self.runDiagnosticsButton.setObjectName(u"runDiagnosticsButton")

        self.buttonRow.addWidget(self.runDiagnosticsButton)

        self.cancelDiagnosticsButton = QPushButton(diagnosticsPage)
        self.cancelDiagnosticsButton.setObjectName(u"cancelDiagnosticsButton")
        self.cancelDiagnosticsButton.setEnabled(False)

        self.buttonRow.addWidget(self.cancelDiagnosticsButton)

        self.buttonRowSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonRow.addItem(self.buttonRowSpacer)

        self.switchModeButton = QPushButton(diagnosticsPage)
        self.switchModeButton.setObjectName(u"switchModeButton")
        self.switchModeButton.setVisible(False)
        self.switchModeButton.setText(u"")

        self.buttonRow.addWidget(self.switchModeButton)

        self.trustCertificateButton = QPushButton(diagnosticsPage)
        self.trustCertificateButton.setObjectName(u"trustCertificateButton")
        self.trustCertificateButton.setEnabled(False)

        self.buttonRow.addWidget(self.trustCertificateButton)

        self.manageTrustButton = QPushButton(diagnosticsPage)
        self.manageTrustButton.setObjectName(u"manageTrustButton")

        self.buttonRow.addWidget(self.manageTrustButton)

        self.exportReportButton = QPushButton(diagnosticsPage)
        self.exportReportButton.setObjectName(u"exportReportButton")
        self.exportReportButton.setEnabled(False)

        self.buttonRow.addWidget(self.exportReportButton)


        self.pageLayout.addLayout(self.buttonRow)

        self.diagSummaryLabel = QLabel(diagnosticsPage)
        self.diagSummaryLabel.setObjectName(u"diagSummaryLabel")
        self.diagSummaryLabel.setText(u"")
        self.diagSummaryLabel.setWordWrap(True)
        self.diagSummaryLabel.setTextFormat(Qt.TextFormat.RichText)
        self.diagSummaryLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.pageLayout.addWidget(self.diagSummaryLabel)

        self.diagSplitter = QSplitter(diagnosticsPage)
        self.diagSplitter.setObjectName(u"diagSplitter")
        self.diagSplitter.setOrientation(Qt.Orientation.Vertical)
        self.diagnosticsSteps = QTreeWidget(self.diagSplitter)
        self.diagnosticsSteps.setObjectName(u"diagnosticsSteps")
        self.diagnosticsSteps.setRootIsDecorated(True)
        self.diagnosticsSteps.setWordWrap(True)
        self.diagnosticsSteps.setAlternatingRowColors(True)
        self.diagSplitter.addWidget(self.diagnosticsSteps)
        self.transcriptPane = QWidget(self.diagSplitter)
        self.transcriptPane.setObjectName(u"transcriptPane")
        self.transcriptLayout = QVBoxLayout(self.transcriptPane)
        self.transcriptLayout.setObjectName(u"transcriptLayout")
        self.transcriptLayout.setContentsMargins(0, 0, 0, 0)
        self.transcriptHeader = QHBoxLayout()
        self.transcriptHeader.setObjectName(u"transcriptHeader")
        self.transcriptLabel = QLabel(self.transcriptPane)
        self.transcriptLabel.setObjectName(u"transcriptLabel")

        self.transcriptHeader.addWidget(self.transcriptLabel)

        self.transcriptSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.transcriptHeader.addItem(self.transcriptSpacer)

        self.copyTranscriptButton = QPushButton(self.transcriptPane)
        self.copyTranscriptButton.setObjectName(u"copyTranscriptButton")
        self.copyTranscriptButton.setEnabled(False)

        self.transcriptHeader.addWidget(self.copyTranscriptButton)


        self.transcriptLayout.addLayout(self.transcriptHeader)

        self.diagTranscript = QPlainTextEdit(self.transcriptPane)
        self.diagTranscript.setObjectName(u"diagTranscript")
        self.diagTranscript.setReadOnly(True)
        self.diagTranscript.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        self.transcriptLayout.addWidget(self.diagTranscript)

        self.diagSplitter.addWidget(self.transcriptPane)

        self.pageLayout.addWidget(self.diagSplitter)

#if QT_CONFIG(shortcut)
        self.diagSenderLabel.setBuddy(self.diagSenderCombo)
        self.diagServerLabel.setBuddy(self.diagServerCombo)
        self.diagPortLabel.setBuddy(self.diagPortSpin)
        self.diagEncryptionLabel.setBuddy(self.diagEncryptionCombo)
        self.diagUsernameLabel.setBuddy(self.diagUsernameEdit)
        self.diagPasswordLabel.setBuddy(self.diagPasswordEdit)
        self.diagRecipientLabel.setBuddy(self.diagRecipientEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(diagnosticsPage)

        self.runDiagnosticsButton.setDefault(True)


        QMetaObject.connectSlotsByName(diagnosticsPage)
    # setupUi

    def retranslateUi(self, diagnosticsPage):
        self.diagIntroLabel.setText(QCoreApplication.translate("DiagnosticsPage", u"Check a mail server step by step \u2014 name resolution, connection, encryption, login and recipient \u2014 to see which step fails, why, and what to do. Nothing is sent.", None))
        self.diagServerGroup.setTitle(QCoreApplication.translate("DiagnosticsPage", u"Server to check", None))
        self.diagSenderLabel.setText(QCoreApplication.translate("DiagnosticsPage", u"Sender:", None))
#if QT_CONFIG(tooltip)
        self.diagSenderCombo.setToolTip(QCoreApplication.translate("DiagnosticsPage", u"A stored sender fills in its server, port and encryption, and its stored password is used.", None))
#endif // QT_CONFIG(tooltip)
        self.diagServerLabel.setText(QCoreApplication.translate("DiagnosticsPage", u"Mail server (SMTP):", None))
        self.diagPortLabel.setText(QCoreApplication.translate("DiagnosticsPage", u"Port:", None))
        self.diagEncryptionLabel.setText(QCoreApplication.translate("DiagnosticsPage", u"Encryption:", None))
        self.diagUsernameLabel.setText(QCoreApplication.translate("DiagnosticsPage", u"User name:", None))
        self.diagUsernameEdit.setPlaceholderText(QCoreApplication.translate("DiagnosticsPage", u"Optional: to check the login", None))
        self.diagPasswordLabel.setText(QCoreApplication.translate("DiagnosticsPage", u"Password:", None))
        self.diagPasswordEdit.setPlaceholderText(QCoreApplication.translate("DiagnosticsPage", u"Optional: leave empty to use the sender's stored password", None))
        self.diagRecipientLabel.setText(QCoreApplication.translate("DiagnosticsPage", u"Recipient:", None))
        self.diagRecipientEdit.setPlaceholderText(QCoreApplication.translate("DiagnosticsPage", u"Optional: check that the server accepts this recipient (nothing is sent)", None))
        self.runDiagnosticsButton.setText(QCoreApplication.translate("DiagnosticsPage", u"Run diagnosis", None))
        self.cancelDiagnosticsButton.setText(QCoreApplication.translate("DiagnosticsPage", u"Cancel", None))
        self.trustCertificateButton.setText(QCoreApplication.translate("DiagnosticsPage", u"Trust certificate\u2026", None))
        self.manageTrustButton.setText(QCoreApplication.translate("DiagnosticsPage", u"Trusted certificates\u2026", None))
        self.exportReportButton.setText(QCoreApplication.translate("DiagnosticsPage", u"Export report\u2026", None))
        ___qtreewidgetitem = self.diagnosticsSteps.headerItem()
        ___qtreewidgetitem.setText(3, QCoreApplication.translate("DiagnosticsPage", u"Detail", None))
        ___qtreewidgetitem.setText(2, QCoreApplication.translate("DiagnosticsPage", u"Time", None))
        ___qtreewidgetitem.setText(1, QCoreApplication.translate("DiagnosticsPage", u"Result", None))
        ___qtreewidgetitem.setText(0, QCoreApplication.translate("DiagnosticsPage", u"Step", None))
        self.transcriptLabel.setText(QCoreApplication.translate("DiagnosticsPage", u"SMTP transcript (passwords and login data removed):", None))
        self.copyTranscriptButton.setText(QCoreApplication.translate("DiagnosticsPage", u"Copy", None))
        pass
    # retranslateUi
