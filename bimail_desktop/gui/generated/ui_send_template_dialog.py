# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'send_template_dialog.ui'
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
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QFormLayout,
    QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QProgressBar, QPushButton, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

class Ui_SendTemplateDialog(object):
    def setupUi(self, sendTemplateDialog):
        if not sendTemplateDialog.objectName():
            sendTemplateDialog.setObjectName(u"sendTemplateDialog")
        sendTemplateDialog.resize(560, 380)
        self.dialogLayout = QVBoxLayout(sendTemplateDialog)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.sendForm = QFormLayout()
        self.sendForm.setObjectName(u"sendForm")
        self.sendForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.sendTemplateLabel = QLabel(sendTemplateDialog)
        self.sendTemplateLabel.setObjectName(u"sendTemplateLabel")

        self.sendForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.sendTemplateLabel)

        self.sendTemplateNameLabel = QLabel(sendTemplateDialog)
        self.sendTemplateNameLabel.setObjectName(u"sendTemplateNameLabel")
        self.sendTemplateNameLabel.setText(u"")
        self.sendTemplateNameLabel.setWordWrap(True)

        self.sendForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.sendTemplateNameLabel)

        self.sendRecipientsLabel = QLabel(sendTemplateDialog)
        self.sendRecipientsLabel.setObjectName(u"sendRecipientsLabel")

        self.sendForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.sendRecipientsLabel)

        self.sendRecipientsEdit = QLineEdit(sendTemplateDialog)
        self.sendRecipientsEdit.setObjectName(u"sendRecipientsEdit")

        self.sendForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.sendRecipientsEdit)

        self.sendSenderLabel = QLabel(sendTemplateDialog)
        self.sendSenderLabel.setObjectName(u"sendSenderLabel")

        self.sendForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.sendSenderLabel)

        self.sendSenderCombo = QComboBox(sendTemplateDialog)
        self.sendSenderCombo.setObjectName(u"sendSenderCombo")

        self.sendForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.sendSenderCombo)


        self.dialogLayout.addLayout(self.sendForm)

        self.sendVariablesBox = QGroupBox(sendTemplateDialog)
        self.sendVariablesBox.setObjectName(u"sendVariablesBox")
        self.sendVariablesForm = QFormLayout(self.sendVariablesBox)
        self.sendVariablesForm.setObjectName(u"sendVariablesForm")
        self.sendVariablesForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.dialogLayout.addWidget(self.sendVariablesBox)

        self.sendProgressBar = QProgressBar(sendTemplateDialog)
        self.sendProgressBar.setObjectName(u"sendProgressBar")
        self.sendProgressBar.setMaximum(0)
        self.sendProgressBar.setTextVisible(False)

        self.dialogLayout.addWidget(self.sendProgressBar)

        self.sendStatusLabel = QLabel(sendTemplateDialog)
        self.sendStatusLabel.setObjectName(u"sendStatusLabel")
        self.sendStatusLabel.setText(u"")
        self.sendStatusLabel.setWordWrap(True)
        self.sendStatusLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.dialogLayout.addWidget(self.sendStatusLabel)

        self.dialogStretch = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.dialogLayout.addItem(self.dialogStretch)

        self.buttonRow = QHBoxLayout()
        self.buttonRow.setObjectName(u"buttonRow")
        self.buttonRowStretch = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonRow.addItem(self.buttonRowStretch)

        self.sendNowButton = QPushButton(sendTemplateDialog)
        self.sendNowButton.setObjectName(u"sendNowButton")

        self.buttonRow.addWidget(self.sendNowButton)

        self.cancelSendButton = QPushButton(sendTemplateDialog)
        self.cancelSendButton.setObjectName(u"cancelSendButton")

        self.buttonRow.addWidget(self.cancelSendButton)

        self.closeSendButton = QPushButton(sendTemplateDialog)
        self.closeSendButton.setObjectName(u"closeSendButton")
        self.closeSendButton.setAutoDefault(False)

        self.buttonRow.addWidget(self.closeSendButton)


        self.dialogLayout.addLayout(self.buttonRow)

#if QT_CONFIG(shortcut)
        self.sendRecipientsLabel.setBuddy(self.sendRecipientsEdit)
        self.sendSenderLabel.setBuddy(self.sendSenderCombo)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.sendRecipientsEdit, self.sendSenderCombo)
        QWidget.setTabOrder(self.sendSenderCombo, self.sendNowButton)
        QWidget.setTabOrder(self.sendNowButton, self.cancelSendButton)
        QWidget.setTabOrder(self.cancelSendButton, self.closeSendButton)

        self.retranslateUi(sendTemplateDialog)

        self.sendNowButton.setDefault(True)


        QMetaObject.connectSlotsByName(sendTemplateDialog)
    # setupUi

    def retranslateUi(self, sendTemplateDialog):
        sendTemplateDialog.setWindowTitle(QCoreApplication.translate("SendTemplateDialog", u"Send a template", None))
        self.sendTemplateLabel.setText(QCoreApplication.translate("SendTemplateDialog", u"Template:", None))
        self.sendRecipientsLabel.setText(QCoreApplication.translate("SendTemplateDialog", u"&Recipients:", None))
        self.sendRecipientsEdit.setPlaceholderText(QCoreApplication.translate("SendTemplateDialog", u"a@example.com, b@example.com", None))
        self.sendSenderLabel.setText(QCoreApplication.translate("SendTemplateDialog", u"Se&nder:", None))
        self.sendVariablesBox.setTitle(QCoreApplication.translate("SendTemplateDialog", u"Placeholder values", None))
        self.sendNowButton.setText(QCoreApplication.translate("SendTemplateDialog", u"&Send", None))
        self.cancelSendButton.setText(QCoreApplication.translate("SendTemplateDialog", u"&Cancel sending", None))
        self.closeSendButton.setText(QCoreApplication.translate("SendTemplateDialog", u"Close", None))
    # retranslateUi
