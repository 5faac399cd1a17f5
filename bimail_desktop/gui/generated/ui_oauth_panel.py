# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'oauth_panel.ui'
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
from PySide6.QtWidgets import (QApplication, QComboBox, QFormLayout, QHBoxLayout,
    QLabel, QLineEdit, QPushButton, QSizePolicy,
    QSpacerItem, QVBoxLayout, QWidget)

class Ui_OAuthPanel(object):
    def setupUi(self, oauthPanel):
        if not oauthPanel.objectName():
            oauthPanel.setObjectName(u"oauthPanel")
        self.outerLayout = QVBoxLayout(oauthPanel)
        self.outerLayout.setObjectName(u"outerLayout")
        self.outerLayout.setContentsMargins(0, 0, 0, 0)
        self.oauthForm = QFormLayout()
        self.oauthForm.setObjectName(u"oauthForm")
        self.oauthForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.authMethodLabel = QLabel(oauthPanel)
        self.authMethodLabel.setObjectName(u"authMethodLabel")

        self.oauthForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.authMethodLabel)

        self.authMethodCombo = QComboBox(oauthPanel)
        self.authMethodCombo.setObjectName(u"authMethodCombo")

        self.oauthForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.authMethodCombo)

        self.oauthFlowLabel = QLabel(oauthPanel)
        self.oauthFlowLabel.setObjectName(u"oauthFlowLabel")

        self.oauthForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.oauthFlowLabel)

        self.oauthFlowCombo = QComboBox(oauthPanel)
        self.oauthFlowCombo.setObjectName(u"oauthFlowCombo")

        self.oauthForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.oauthFlowCombo)

        self.clientIdLabel = QLabel(oauthPanel)
        self.clientIdLabel.setObjectName(u"clientIdLabel")

        self.oauthForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.clientIdLabel)

        self.clientIdEdit = QLineEdit(oauthPanel)
        self.clientIdEdit.setObjectName(u"clientIdEdit")

        self.oauthForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.clientIdEdit)

        self.clientSecretLabel = QLabel(oauthPanel)
        self.clientSecretLabel.setObjectName(u"clientSecretLabel")

        self.oauthForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.clientSecretLabel)

        self.clientSecretEdit = QLineEdit(oauthPanel)
        self.clientSecretEdit.setObjectName(u"clientSecretEdit")
        self.clientSecretEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.oauthForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.clientSecretEdit)

        self.tenantLabel = QLabel(oauthPanel)
        self.tenantLabel.setObjectName(u"tenantLabel")

        self.oauthForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.tenantLabel)

        self.tenantEdit = QLineEdit(oauthPanel)
        self.tenantEdit.setObjectName(u"tenantEdit")

        self.oauthForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.tenantEdit)

        self.scopesLabel = QLabel(oauthPanel)
        self.scopesLabel.setObjectName(u"scopesLabel")

        self.oauthForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.scopesLabel)

        self.scopesEdit = QLineEdit(oauthPanel)
        self.scopesEdit.setObjectName(u"scopesEdit")

        self.oauthForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.scopesEdit)

        self.authUrlLabel = QLabel(oauthPanel)
        self.authUrlLabel.setObjectName(u"authUrlLabel")

        self.oauthForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.authUrlLabel)

        self.authUrlEdit = QLineEdit(oauthPanel)
        self.authUrlEdit.setObjectName(u"authUrlEdit")
        self.authUrlEdit.setPlaceholderText(u"https://\u2026/authorize")

        self.oauthForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.authUrlEdit)

        self.tokenUrlLabel = QLabel(oauthPanel)
        self.tokenUrlLabel.setObjectName(u"tokenUrlLabel")

        self.oauthForm.setWidget(7, QFormLayout.ItemRole.LabelRole, self.tokenUrlLabel)

        self.tokenUrlEdit = QLineEdit(oauthPanel)
        self.tokenUrlEdit.setObjectName(u"tokenUrlEdit")
        self.tokenUrlEdit.setPlaceholderText(u"https://\u2026/token")

        self.oauthForm.setWidget(7, QFormLayout.ItemRole.FieldRole, self.tokenUrlEdit)

        self.deviceUrlLabel = QLabel(oauthPanel)
        self.deviceUrlLabel.setObjectName(u"deviceUrlLabel")

        self.oauthForm.setWidget(8, QFormLayout.ItemRole.LabelRole, self.deviceUrlLabel)

        self.deviceUrlEdit = QLineEdit(oauthPanel)
        self.deviceUrlEdit.setObjectName(u"deviceUrlEdit")

        self.oauthForm.setWidget(8, QFormLayout.ItemRole.FieldRole, self.deviceUrlEdit)

        self.signInRow = QWidget(oauthPanel)
        self.signInRow.setObjectName(u"signInRow")
        self.signInRowLayout = QHBoxLayout(self.signInRow)
        self.signInRowLayout.setObjectName(u"signInRowLayout")
        self.signInRowLayout.setContentsMargins(0, 0, 0, 0)
        self.signInButton = QPushButton(self.signInRow)
        self.signInButton.setObjectName(u"signInButton")

        self.signInRowLayout.addWidget(self.signInButton)

        self.cancelSignInButton = QPushButton(self.signInRow)
        self.cancelSignInButton.setObjectName(u"cancelSignInButton")

        self.signInRowLayout.addWidget(self.cancelSignInButton)

        self.signInRowSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.signInRowLayout.addItem(self.signInRowSpacer)


        self.oauthForm.setWidget(9, QFormLayout.ItemRole.FieldRole, self.signInRow)


        self.outerLayout.addLayout(self.oauthForm)

        self.oauthStatusLabel = QLabel(oauthPanel)
        self.oauthStatusLabel.setObjectName(u"oauthStatusLabel")
        self.oauthStatusLabel.setText(u"")
        self.oauthStatusLabel.setTextFormat(Qt.TextFormat.RichText)
        self.oauthStatusLabel.setWordWrap(True)
        self.oauthStatusLabel.setOpenExternalLinks(False)
        self.oauthStatusLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.outerLayout.addWidget(self.oauthStatusLabel)

#if QT_CONFIG(shortcut)
        self.authMethodLabel.setBuddy(self.authMethodCombo)
        self.oauthFlowLabel.setBuddy(self.oauthFlowCombo)
        self.clientIdLabel.setBuddy(self.clientIdEdit)
        self.clientSecretLabel.setBuddy(self.clientSecretEdit)
        self.tenantLabel.setBuddy(self.tenantEdit)
        self.scopesLabel.setBuddy(self.scopesEdit)
        self.authUrlLabel.setBuddy(self.authUrlEdit)
        self.tokenUrlLabel.setBuddy(self.tokenUrlEdit)
        self.deviceUrlLabel.setBuddy(self.deviceUrlEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(oauthPanel)

        QMetaObject.connectSlotsByName(oauthPanel)
    # setupUi

    def retranslateUi(self, oauthPanel):
        self.authMethodLabel.setText(QCoreApplication.translate("OAuthPanel", u"Sign-in method:", None))
        self.oauthFlowLabel.setText(QCoreApplication.translate("OAuthPanel", u"Who signs in:", None))
#if QT_CONFIG(tooltip)
        self.oauthFlowCombo.setToolTip(QCoreApplication.translate("OAuthPanel", u"A user signs in once in the browser; or the application signs in by itself with its client secret (client credentials: for a server or the relay, no user, no sign-in step)", None))
#endif // QT_CONFIG(tooltip)
        self.clientIdLabel.setText(QCoreApplication.translate("OAuthPanel", u"Client ID:", None))
        self.clientIdEdit.setPlaceholderText(QCoreApplication.translate("OAuthPanel", u"Application (client) ID", None))
        self.clientSecretLabel.setText(QCoreApplication.translate("OAuthPanel", u"Client secret:", None))
        self.clientSecretEdit.setPlaceholderText(QCoreApplication.translate("OAuthPanel", u"Client secret", None))
        self.tenantLabel.setText(QCoreApplication.translate("OAuthPanel", u"Tenant:", None))
#if QT_CONFIG(tooltip)
        self.tenantEdit.setToolTip(QCoreApplication.translate("OAuthPanel", u"Tenant ID or domain (contoso.onmicrosoft.com); 'organizations' signs in any work account", None))
#endif // QT_CONFIG(tooltip)
        self.scopesLabel.setText(QCoreApplication.translate("OAuthPanel", u"Scopes:", None))
        self.authUrlLabel.setText(QCoreApplication.translate("OAuthPanel", u"Authorisation URL:", None))
        self.tokenUrlLabel.setText(QCoreApplication.translate("OAuthPanel", u"Token URL:", None))
        self.deviceUrlLabel.setText(QCoreApplication.translate("OAuthPanel", u"Device code URL:", None))
        self.deviceUrlEdit.setPlaceholderText(QCoreApplication.translate("OAuthPanel", u"optional", None))
        self.signInButton.setText(QCoreApplication.translate("OAuthPanel", u"Sign in\u2026", None))
        self.cancelSignInButton.setText(QCoreApplication.translate("OAuthPanel", u"Cancel sign-in", None))
        pass
    # retranslateUi
