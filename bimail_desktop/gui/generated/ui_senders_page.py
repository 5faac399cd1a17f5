# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'senders_page.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpacerItem, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

class Ui_SendersPage(object):
    def setupUi(self, sendersPage):
        if not sendersPage.objectName():
            sendersPage.setObjectName(u"sendersPage")
        sendersPage.resize(820, 480)
        self.pageLayout = QVBoxLayout(sendersPage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.mailboxStatusLabel = QLabel(sendersPage)
        self.mailboxStatusLabel.setObjectName(u"mailboxStatusLabel")
        self.mailboxStatusLabel.setText(u"")
        self.mailboxStatusLabel.setWordWrap(True)
        self.mailboxStatusLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.mailboxStatusLabel.setMargin(6)

        self.pageLayout.addWidget(self.mailboxStatusLabel)

        self.sendersHeading = QLabel(sendersPage)
        self.sendersHeading.setObjectName(u"sendersHeading")
        self.sendersHeading.setWordWrap(True)

        self.pageLayout.addWidget(self.sendersHeading)

        self.tableRow = QHBoxLayout()
        self.tableRow.setObjectName(u"tableRow")
        self.senderTable = QTableWidget(sendersPage)
        if (self.senderTable.columnCount() < 7):
            self.senderTable.setColumnCount(7)
        __qtablewidgetitem = QTableWidgetItem()
        self.senderTable.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.senderTable.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.senderTable.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        __qtablewidgetitem3 = QTableWidgetItem()
        self.senderTable.setHorizontalHeaderItem(3, __qtablewidgetitem3)
        __qtablewidgetitem4 = QTableWidgetItem()
        self.senderTable.setHorizontalHeaderItem(4, __qtablewidgetitem4)
        __qtablewidgetitem5 = QTableWidgetItem()
        self.senderTable.setHorizontalHeaderItem(5, __qtablewidgetitem5)
        __qtablewidgetitem6 = QTableWidgetItem()
        self.senderTable.setHorizontalHeaderItem(6, __qtablewidgetitem6)
        self.senderTable.setObjectName(u"senderTable")
        self.senderTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.senderTable.setTabKeyNavigation(False)
        self.senderTable.setAlternatingRowColors(True)
        self.senderTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.senderTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.senderTable.setShowGrid(False)
        self.senderTable.setWordWrap(False)
        self.senderTable.setColumnCount(7)
        self.senderTable.horizontalHeader().setStretchLastSection(True)
        self.senderTable.verticalHeader().setVisible(False)

        self.tableRow.addWidget(self.senderTable)

        self.buttonColumn = QVBoxLayout()
        self.buttonColumn.setObjectName(u"buttonColumn")
        self.addSenderButton = QPushButton(sendersPage)
        self.addSenderButton.setObjectName(u"addSenderButton")

        self.buttonColumn.addWidget(self.addSenderButton)

        self.editSenderButton = QPushButton(sendersPage)
        self.editSenderButton.setObjectName(u"editSenderButton")

        self.buttonColumn.addWidget(self.editSenderButton)

        self.deleteSenderButton = QPushButton(sendersPage)
        self.deleteSenderButton.setObjectName(u"deleteSenderButton")

        self.buttonColumn.addWidget(self.deleteSenderButton)

        self.buttonSpacer = QSpacerItem(20, 20, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.buttonColumn.addItem(self.buttonSpacer)


        self.tableRow.addLayout(self.buttonColumn)


        self.pageLayout.addLayout(self.tableRow)

        self.defaultGroup = QGroupBox(sendersPage)
        self.defaultGroup.setObjectName(u"defaultGroup")
        self.defaultLayout = QVBoxLayout(self.defaultGroup)
        self.defaultLayout.setObjectName(u"defaultLayout")
        self.defaultRow = QHBoxLayout()
        self.defaultRow.setObjectName(u"defaultRow")
        self.defaultSenderLabel = QLabel(self.defaultGroup)
        self.defaultSenderLabel.setObjectName(u"defaultSenderLabel")

        self.defaultRow.addWidget(self.defaultSenderLabel)

        self.defaultSenderCombo = QComboBox(self.defaultGroup)
        self.defaultSenderCombo.setObjectName(u"defaultSenderCombo")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        sizePolicy.setHorizontalStretch(1)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.defaultSenderCombo.sizePolicy().hasHeightForWidth())
        self.defaultSenderCombo.setSizePolicy(sizePolicy)
        self.defaultSenderCombo.setMinimumContentsLength(24)

        self.defaultRow.addWidget(self.defaultSenderCombo)

        self.saveDefaultButton = QPushButton(self.defaultGroup)
        self.saveDefaultButton.setObjectName(u"saveDefaultButton")

        self.defaultRow.addWidget(self.saveDefaultButton)


        self.defaultLayout.addLayout(self.defaultRow)

        self.defaultHintLabel = QLabel(self.defaultGroup)
        self.defaultHintLabel.setObjectName(u"defaultHintLabel")
        self.defaultHintLabel.setWordWrap(True)

        self.defaultLayout.addWidget(self.defaultHintLabel)


        self.pageLayout.addWidget(self.defaultGroup)

#if QT_CONFIG(shortcut)
        self.defaultSenderLabel.setBuddy(self.defaultSenderCombo)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.senderTable, self.addSenderButton)
        QWidget.setTabOrder(self.addSenderButton, self.editSenderButton)
        QWidget.setTabOrder(self.editSenderButton, self.deleteSenderButton)
        QWidget.setTabOrder(self.deleteSenderButton, self.defaultSenderCombo)
        QWidget.setTabOrder(self.defaultSenderCombo, self.saveDefaultButton)

        self.retranslateUi(sendersPage)

        QMetaObject.connectSlotsByName(sendersPage)
    # setupUi

    def retranslateUi(self, sendersPage):
        self.sendersHeading.setText(QCoreApplication.translate("SendersPage", u"Sender accounts \u2014 the mail accounts through which the BI server sends mail:", None))
        ___qtablewidgetitem = self.senderTable.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("SendersPage", u"Address", None))
        ___qtablewidgetitem1 = self.senderTable.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("SendersPage", u"Show name", None))
        ___qtablewidgetitem2 = self.senderTable.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(QCoreApplication.translate("SendersPage", u"Server", None))
        ___qtablewidgetitem3 = self.senderTable.horizontalHeaderItem(3)
        ___qtablewidgetitem3.setText(QCoreApplication.translate("SendersPage", u"Port", None))
        ___qtablewidgetitem4 = self.senderTable.horizontalHeaderItem(4)
        ___qtablewidgetitem4.setText(QCoreApplication.translate("SendersPage", u"Encryption", None))
        ___qtablewidgetitem5 = self.senderTable.horizontalHeaderItem(5)
        ___qtablewidgetitem5.setText(QCoreApplication.translate("SendersPage", u"Sign-in", None))
        ___qtablewidgetitem6 = self.senderTable.horizontalHeaderItem(6)
        ___qtablewidgetitem6.setText(QCoreApplication.translate("SendersPage", u"Default", None))
        self.addSenderButton.setText(QCoreApplication.translate("SendersPage", u"&Add sender\u2026", None))
#if QT_CONFIG(tooltip)
        self.addSenderButton.setToolTip(QCoreApplication.translate("SendersPage", u"Add one sender account (mail server, address and password)", None))
#endif // QT_CONFIG(tooltip)
        self.editSenderButton.setText(QCoreApplication.translate("SendersPage", u"&Edit\u2026", None))
#if QT_CONFIG(tooltip)
        self.editSenderButton.setToolTip(QCoreApplication.translate("SendersPage", u"Change the selected sender (double-click a row does the same)", None))
#endif // QT_CONFIG(tooltip)
        self.deleteSenderButton.setText(QCoreApplication.translate("SendersPage", u"&Delete\u2026", None))
#if QT_CONFIG(tooltip)
        self.deleteSenderButton.setToolTip(QCoreApplication.translate("SendersPage", u"Delete the selected sender and its stored password", None))
#endif // QT_CONFIG(tooltip)
        self.defaultGroup.setTitle(QCoreApplication.translate("SendersPage", u"Default sender", None))
        self.defaultSenderLabel.setText(QCoreApplication.translate("SendersPage", u"Defa&ult sender:", None))
        self.saveDefaultButton.setText(QCoreApplication.translate("SendersPage", u"Sa&ve", None))
#if QT_CONFIG(tooltip)
        self.saveDefaultButton.setToolTip(QCoreApplication.translate("SendersPage", u"Make the chosen sender the system's default sender", None))
#endif // QT_CONFIG(tooltip)
        self.defaultHintLabel.setText(QCoreApplication.translate("SendersPage", u"Mail from the BI server goes out through the default sender. A new choice takes effect when you click Save.", None))
        pass
    # retranslateUi
