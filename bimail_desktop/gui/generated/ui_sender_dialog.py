# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'sender_dialog.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog,
    QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout,
    QLabel, QLineEdit, QProgressBar, QPushButton,
    QSizePolicy, QSpacerItem, QSpinBox, QToolButton,
    QVBoxLayout, QWidget)

class Ui_SenderDialog(object):
    def setupUi(self, senderDialog):
        if not senderDialog.objectName():
            senderDialog.setObjectName(u"senderDialog")
        senderDialog.resize(600, 600)
        senderDialog.setMinimumSize(QSize(520, 0))
        self.dialogLayout = QVBoxLayout(senderDialog)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.formLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.serverLabel = QLabel(senderDialog)
        self.serverLabel.setObjectName(u"serverLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.serverLabel)

        self.serverCombo = QComboBox(senderDialog)
        self.serverCombo.setObjectName(u"serverCombo")
        self.serverCombo.setEditable(True)
        self.serverCombo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.serverCombo.setMaxVisibleItems(16)

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.serverCombo)

        self.serverErrorLabel = QLabel(senderDialog)
        self.serverErrorLabel.setObjectName(u"serverErrorLabel")
        self.serverErrorLabel.setText(u"")
        self.serverErrorLabel.setWordWrap(True)
        self.serverErrorLabel.setTextFormat(Qt.TextFormat.PlainText)

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.serverErrorLabel)

        self.portLabel = QLabel(senderDialog)
        self.portLabel.setObjectName(u"portLabel")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.portLabel)

        self.portRow = QHBoxLayout()
        self.portRow.setObjectName(u"portRow")
        self.portSpin = QSpinBox(senderDialog)
        self.portSpin.setObjectName(u"portSpin")
        self.portSpin.setMinimum(1)
        self.portSpin.setMaximum(65535)
        self.portSpin.setValue(25)

        self.portRow.addWidget(self.portSpin)

        self.encryptionLabel = QLabel(senderDialog)
        self.encryptionLabel.setObjectName(u"encryptionLabel")

        self.portRow.addWidget(self.encryptionLabel)

        self.encryptionCombo = QComboBox(senderDialog)
        self.encryptionCombo.setObjectName(u"encryptionCombo")

        self.portRow.addWidget(self.encryptionCombo)

        self.portSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.portRow.addItem(self.portSpacer)


        self.formLayout.setLayout(2, QFormLayout.ItemRole.FieldRole, self.portRow)

        self.addressLabel = QLabel(senderDialog)
        self.addressLabel.setObjectName(u"addressLabel")

        self.formLayout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.addressLabel)

        self.addressEdit = QLineEdit(senderDialog)
        self.addressEdit.setObjectName(u"addressEdit")

        self.formLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.addressEdit)

        self.addressErrorLabel = QLabel(senderDialog)
        self.addressErrorLabel.setObjectName(u"addressErrorLabel")
        self.addressErrorLabel.setText(u"")
        self.addressErrorLabel.setWordWrap(True)
        self.addressErrorLabel.setTextFormat(Qt.TextFormat.PlainText)

        self.formLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.addressErrorLabel)

        self.usernameLabel = QLabel(senderDialog)
        self.usernameLabel.setObjectName(u"usernameLabel")

        self.formLayout.setWidget(5, QFormLayout.ItemRole.LabelRole, self.usernameLabel)

        self.usernameEdit = QLineEdit(senderDialog)
        self.usernameEdit.setObjectName(u"usernameEdit")

        self.formLayout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.usernameEdit)

        self.usernameErrorLabel = QLabel(senderDialog)
        self.usernameErrorLabel.setObjectName(u"usernameErrorLabel")
        self.usernameErrorLabel.setText(u"")
        self.usernameErrorLabel.setWordWrap(True)
        self.usernameErrorLabel.setTextFormat(Qt.TextFormat.PlainText)

        self.formLayout.setWidget(6, QFormLayout.ItemRole.FieldRole, self.usernameErrorLabel)

        self.passwordLabel = QLabel(senderDialog)
        self.passwordLabel.setObjectName(u"passwordLabel")

        self.formLayout.setWidget(7, QFormLayout.ItemRole.LabelRole, self.passwordLabel)

        self.passwordRow = QHBoxLayout()
        self.passwordRow.setObjectName(u"passwordRow")
        self.passwordEdit = QLineEdit(senderDialog)
        self.passwordEdit.setObjectName(u"passwordEdit")
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.passwordRow.addWidget(self.passwordEdit)

        self.showPasswordButton = QToolButton(senderDialog)
        self.showPasswordButton.setObjectName(u"showPasswordButton")
        self.showPasswordButton.setCheckable(True)

        self.passwordRow.addWidget(self.showPasswordButton)


        self.formLayout.setLayout(7, QFormLayout.ItemRole.FieldRole, self.passwordRow)

        self.passwordWarningLabel = QLabel(senderDialog)
        self.passwordWarningLabel.setObjectName(u"passwordWarningLabel")
        self.passwordWarningLabel.setText(u"")
        self.passwordWarningLabel.setWordWrap(True)
        self.passwordWarningLabel.setTextFormat(Qt.TextFormat.PlainText)

        self.formLayout.setWidget(8, QFormLayout.ItemRole.FieldRole, self.passwordWarningLabel)

        self.showNameLabel = QLabel(senderDialog)
        self.showNameLabel.setObjectName(u"showNameLabel")

        self.formLayout.setWidget(9, QFormLayout.ItemRole.LabelRole, self.showNameLabel)

        self.showNameEdit = QLineEdit(senderDialog)
        self.showNameEdit.setObjectName(u"showNameEdit")

        self.formLayout.setWidget(9, QFormLayout.ItemRole.FieldRole, self.showNameEdit)

        self.showNameErrorLabel = QLabel(senderDialog)
        self.showNameErrorLabel.setObjectName(u"showNameErrorLabel")
        self.showNameErrorLabel.setText(u"")
        self.showNameErrorLabel.setWordWrap(True)
        self.showNameErrorLabel.setTextFormat(Qt.TextFormat.PlainText)

        self.formLayout.setWidget(10, QFormLayout.ItemRole.FieldRole, self.showNameErrorLabel)

        self.rateLimitLabel = QLabel(senderDialog)
        self.rateLimitLabel.setObjectName(u"rateLimitLabel")

        self.formLayout.setWidget(11, QFormLayout.ItemRole.LabelRole, self.rateLimitLabel)

        self.rateLimitRow = QHBoxLayout()
        self.rateLimitRow.setObjectName(u"rateLimitRow")
        self.rateLimitSpin = QSpinBox(senderDialog)
        self.rateLimitSpin.setObjectName(u"rateLimitSpin")
        self.rateLimitSpin.setMinimum(0)
        self.rateLimitSpin.setMaximum(10000)
        self.rateLimitSpin.setValue(10)

        self.rateLimitRow.addWidget(self.rateLimitSpin)

        self.rateLimitSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.rateLimitRow.addItem(self.rateLimitSpacer)


        self.formLayout.setLayout(11, QFormLayout.ItemRole.FieldRole, self.rateLimitRow)


        self.dialogLayout.addLayout(self.formLayout)

        self.providerHintLabel = QLabel(senderDialog)
        self.providerHintLabel.setObjectName(u"providerHintLabel")
        self.providerHintLabel.setText(u"")
        self.providerHintLabel.setWordWrap(True)
        self.providerHintLabel.setTextFormat(Qt.TextFormat.RichText)
        self.providerHintLabel.setOpenExternalLinks(True)
        self.providerHintLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.providerHintLabel.setMargin(6)

        self.dialogLayout.addWidget(self.providerHintLabel)

        self.oauthArea = QWidget(senderDialog)
        self.oauthArea.setObjectName(u"oauthArea")
        self.oauthLayout = QVBoxLayout(self.oauthArea)
        self.oauthLayout.setObjectName(u"oauthLayout")
        self.oauthLayout.setContentsMargins(0, 0, 0, 0)

        self.dialogLayout.addWidget(self.oauthArea)

        self.toolsRow = QWidget(senderDialog)
        self.toolsRow.setObjectName(u"toolsRow")
        self.toolsLayout = QHBoxLayout(self.toolsRow)
        self.toolsLayout.setObjectName(u"toolsLayout")
        self.toolsLayout.setContentsMargins(0, 0, 0, 0)
        self.detectButton = QPushButton(self.toolsRow)
        self.detectButton.setObjectName(u"detectButton")
        self.detectButton.setAutoDefault(False)

        self.toolsLayout.addWidget(self.detectButton)

        self.diagnoseButton = QPushButton(self.toolsRow)
        self.diagnoseButton.setObjectName(u"diagnoseButton")
        self.diagnoseButton.setAutoDefault(False)

        self.toolsLayout.addWidget(self.diagnoseButton)

        self.toolsSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.toolsLayout.addItem(self.toolsSpacer)


        self.dialogLayout.addWidget(self.toolsRow)

        self.testGroup = QGroupBox(senderDialog)
        self.testGroup.setObjectName(u"testGroup")
        self.testLayout = QVBoxLayout(self.testGroup)
        self.testLayout.setObjectName(u"testLayout")
        self.testRow = QHBoxLayout()
        self.testRow.setObjectName(u"testRow")
        self.testRecipientLabel = QLabel(self.testGroup)
        self.testRecipientLabel.setObjectName(u"testRecipientLabel")

        self.testRow.addWidget(self.testRecipientLabel)

        self.testRecipientEdit = QLineEdit(self.testGroup)
        self.testRecipientEdit.setObjectName(u"testRecipientEdit")

        self.testRow.addWidget(self.testRecipientEdit)

        self.testMailButton = QPushButton(self.testGroup)
        self.testMailButton.setObjectName(u"testMailButton")
        self.testMailButton.setAutoDefault(False)

        self.testRow.addWidget(self.testMailButton)

        self.cancelTestButton = QPushButton(self.testGroup)
        self.cancelTestButton.setObjectName(u"cancelTestButton")
        self.cancelTestButton.setAutoDefault(False)

        self.testRow.addWidget(self.cancelTestButton)


        self.testLayout.addLayout(self.testRow)

        self.testBusyBar = QProgressBar(self.testGroup)
        self.testBusyBar.setObjectName(u"testBusyBar")
        self.testBusyBar.setMaximum(0)
        self.testBusyBar.setTextVisible(False)

        self.testLayout.addWidget(self.testBusyBar)

        self.testResultLabel = QLabel(self.testGroup)
        self.testResultLabel.setObjectName(u"testResultLabel")
        self.testResultLabel.setText(u"")
        self.testResultLabel.setWordWrap(True)
        self.testResultLabel.setTextFormat(Qt.TextFormat.RichText)
        self.testResultLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.testLayout.addWidget(self.testResultLabel)


        self.dialogLayout.addWidget(self.testGroup)

        self.formErrorLabel = QLabel(senderDialog)
        self.formErrorLabel.setObjectName(u"formErrorLabel")
        self.formErrorLabel.setText(u"")
        self.formErrorLabel.setWordWrap(True)
        self.formErrorLabel.setTextFormat(Qt.TextFormat.PlainText)

        self.dialogLayout.addWidget(self.formErrorLabel)

        self.dialogStretch = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.dialogLayout.addItem(self.dialogStretch)

        self.buttonBox = QDialogButtonBox(senderDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.dialogLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.serverLabel.setBuddy(self.serverCombo)
        self.portLabel.setBuddy(self.portSpin)
        self.encryptionLabel.setBuddy(self.encryptionCombo)
        self.addressLabel.setBuddy(self.addressEdit)
        self.usernameLabel.setBuddy(self.usernameEdit)
        self.passwordLabel.setBuddy(self.passwordEdit)
        self.showNameLabel.setBuddy(self.showNameEdit)
        self.rateLimitLabel.setBuddy(self.rateLimitSpin)
        self.testRecipientLabel.setBuddy(self.testRecipientEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.serverCombo, self.portSpin)
        QWidget.setTabOrder(self.portSpin, self.encryptionCombo)
        QWidget.setTabOrder(self.encryptionCombo, self.addressEdit)
        QWidget.setTabOrder(self.addressEdit, self.usernameEdit)
        QWidget.setTabOrder(self.usernameEdit, self.passwordEdit)
        QWidget.setTabOrder(self.passwordEdit, self.showPasswordButton)
        QWidget.setTabOrder(self.showPasswordButton, self.showNameEdit)
        QWidget.setTabOrder(self.showNameEdit, self.rateLimitSpin)
        QWidget.setTabOrder(self.rateLimitSpin, self.testRecipientEdit)
        QWidget.setTabOrder(self.testRecipientEdit, self.testMailButton)
        QWidget.setTabOrder(self.testMailButton, self.cancelTestButton)

        self.retranslateUi(senderDialog)

        QMetaObject.connectSlotsByName(senderDialog)
    # setupUi

    def retranslateUi(self, senderDialog):
        senderDialog.setWindowTitle(QCoreApplication.translate("SenderDialog", u"Sender", None))
        self.serverLabel.setText(QCoreApplication.translate("SenderDialog", u"Mail &server (SMTP):", None))
#if QT_CONFIG(tooltip)
        self.serverCombo.setToolTip(QCoreApplication.translate("SenderDialog", u"Pick a known provider, or type the mail server's host name or IP address", None))
#endif // QT_CONFIG(tooltip)
        self.portLabel.setText(QCoreApplication.translate("SenderDialog", u"&Port:", None))
#if QT_CONFIG(tooltip)
        self.portSpin.setToolTip(QCoreApplication.translate("SenderDialog", u"Usually 465 for SSL, 587 or 25 for TLS", None))
#endif // QT_CONFIG(tooltip)
        self.encryptionLabel.setText(QCoreApplication.translate("SenderDialog", u"&Encryption:", None))
        self.addressLabel.setText(QCoreApplication.translate("SenderDialog", u"Sender &address:", None))
        self.addressEdit.setPlaceholderText(QCoreApplication.translate("SenderDialog", u"report@example.com", None))
        self.usernameLabel.setText(QCoreApplication.translate("SenderDialog", u"User &name:", None))
        self.usernameEdit.setPlaceholderText(QCoreApplication.translate("SenderDialog", u"Same as the sender address", None))
        self.passwordLabel.setText(QCoreApplication.translate("SenderDialog", u"Pass&word:", None))
        self.passwordEdit.setPlaceholderText(QCoreApplication.translate("SenderDialog", u"Mailbox password or the provider's authorisation code", None))
        self.showPasswordButton.setText(QCoreApplication.translate("SenderDialog", u"S&how", None))
#if QT_CONFIG(tooltip)
        self.showPasswordButton.setToolTip(QCoreApplication.translate("SenderDialog", u"Show or hide the password", None))
#endif // QT_CONFIG(tooltip)
        self.showNameLabel.setText(QCoreApplication.translate("SenderDialog", u"Show na&me:", None))
        self.showNameEdit.setPlaceholderText(QCoreApplication.translate("SenderDialog", u"The name recipients see, e.g. BI Reports", None))
        self.rateLimitLabel.setText(QCoreApplication.translate("SenderDialog", u"&Rate limit:", None))
        self.rateLimitSpin.setSuffix(QCoreApplication.translate("SenderDialog", u" mails per minute", None))
        self.rateLimitSpin.setSpecialValueText(QCoreApplication.translate("SenderDialog", u"No limit", None))
#if QT_CONFIG(tooltip)
        self.rateLimitSpin.setToolTip(QCoreApplication.translate("SenderDialog", u"At most this many mails per minute from this sender; many providers refuse more", None))
#endif // QT_CONFIG(tooltip)
        self.detectButton.setText(QCoreApplication.translate("SenderDialog", u"&Detect settings\u2026", None))
#if QT_CONFIG(tooltip)
        self.detectButton.setToolTip(QCoreApplication.translate("SenderDialog", u"Find the mail server, port and encryption for the sender address; you confirm before anything is filled in", None))
#endif // QT_CONFIG(tooltip)
        self.diagnoseButton.setText(QCoreApplication.translate("SenderDialog", u"D&iagnose\u2026", None))
#if QT_CONFIG(tooltip)
        self.diagnoseButton.setToolTip(QCoreApplication.translate("SenderDialog", u"Check step by step, with the values in this form, whether the mail server can be reached and accepts the login", None))
#endif // QT_CONFIG(tooltip)
        self.testGroup.setTitle(QCoreApplication.translate("SenderDialog", u"Test mail", None))
        self.testRecipientLabel.setText(QCoreApplication.translate("SenderDialog", u"Send a test mail &to:", None))
        self.testRecipientEdit.setPlaceholderText(QCoreApplication.translate("SenderDialog", u"recipient@example.com", None))
        self.testMailButton.setText(QCoreApplication.translate("SenderDialog", u"Send test mai&l", None))
#if QT_CONFIG(tooltip)
        self.testMailButton.setToolTip(QCoreApplication.translate("SenderDialog", u"Send a test mail with the values in this form, saved or not", None))
#endif // QT_CONFIG(tooltip)
        self.cancelTestButton.setText(QCoreApplication.translate("SenderDialog", u"St&op", None))
#if QT_CONFIG(tooltip)
        self.cancelTestButton.setToolTip(QCoreApplication.translate("SenderDialog", u"Cancel the test mail", None))
#endif // QT_CONFIG(tooltip)
    # retranslateUi
