# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'relay_page.ui'
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
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QGroupBox, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPushButton, QSizePolicy, QSpacerItem,
    QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget)

class Ui_RelayPage(object):
    def setupUi(self, relayPage):
        if not relayPage.objectName():
            relayPage.setObjectName(u"relayPage")
        relayPage.resize(860, 620)
        self.pageLayout = QVBoxLayout(relayPage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.relayIntroLabel = QLabel(relayPage)
        self.relayIntroLabel.setObjectName(u"relayIntroLabel")
        self.relayIntroLabel.setWordWrap(True)

        self.pageLayout.addWidget(self.relayIntroLabel)

        self.relayServerGroup = QGroupBox(relayPage)
        self.relayServerGroup.setObjectName(u"relayServerGroup")
        self.relayServerLayout = QVBoxLayout(self.relayServerGroup)
        self.relayServerLayout.setObjectName(u"relayServerLayout")
        self.relayListenRow = QHBoxLayout()
        self.relayListenRow.setObjectName(u"relayListenRow")
        self.relayListenLabel = QLabel(self.relayServerGroup)
        self.relayListenLabel.setObjectName(u"relayListenLabel")

        self.relayListenRow.addWidget(self.relayListenLabel)

        self.relayListenEdit = QLineEdit(self.relayServerGroup)
        self.relayListenEdit.setObjectName(u"relayListenEdit")
        self.relayListenEdit.setMaximumSize(QSize(280, 16777215))

        self.relayListenRow.addWidget(self.relayListenEdit)

        self.relayStartButton = QPushButton(self.relayServerGroup)
        self.relayStartButton.setObjectName(u"relayStartButton")

        self.relayListenRow.addWidget(self.relayStartButton)

        self.relayStopButton = QPushButton(self.relayServerGroup)
        self.relayStopButton.setObjectName(u"relayStopButton")
        self.relayStopButton.setEnabled(False)

        self.relayListenRow.addWidget(self.relayStopButton)

        self.relayListenSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.relayListenRow.addItem(self.relayListenSpacer)


        self.relayServerLayout.addLayout(self.relayListenRow)

        self.relayStatusLabel = QLabel(self.relayServerGroup)
        self.relayStatusLabel.setObjectName(u"relayStatusLabel")
        self.relayStatusLabel.setWordWrap(True)

        self.relayServerLayout.addWidget(self.relayStatusLabel)


        self.pageLayout.addWidget(self.relayServerGroup)

        self.relaySplitter = QSplitter(relayPage)
        self.relaySplitter.setObjectName(u"relaySplitter")
        self.relaySplitter.setOrientation(Qt.Orientation.Horizontal)
        self.relayUsersGroup = QGroupBox(self.relaySplitter)
        self.relayUsersGroup.setObjectName(u"relayUsersGroup")
        self.relayUsersLayout = QVBoxLayout(self.relayUsersGroup)
        self.relayUsersLayout.setObjectName(u"relayUsersLayout")
        self.relayUsersHint = QLabel(self.relayUsersGroup)
        self.relayUsersHint.setObjectName(u"relayUsersHint")
        self.relayUsersHint.setWordWrap(True)

        self.relayUsersLayout.addWidget(self.relayUsersHint)

        self.relayUsersList = QListWidget(self.relayUsersGroup)
        self.relayUsersList.setObjectName(u"relayUsersList")

        self.relayUsersLayout.addWidget(self.relayUsersList)

        self.relayUsersButtons = QHBoxLayout()
        self.relayUsersButtons.setObjectName(u"relayUsersButtons")
        self.relayAddUserButton = QPushButton(self.relayUsersGroup)
        self.relayAddUserButton.setObjectName(u"relayAddUserButton")

        self.relayUsersButtons.addWidget(self.relayAddUserButton)

        self.relayRemoveUserButton = QPushButton(self.relayUsersGroup)
        self.relayRemoveUserButton.setObjectName(u"relayRemoveUserButton")
        self.relayRemoveUserButton.setEnabled(False)

        self.relayUsersButtons.addWidget(self.relayRemoveUserButton)


        self.relayUsersLayout.addLayout(self.relayUsersButtons)

        self.relaySplitter.addWidget(self.relayUsersGroup)
        self.relayQueueGroup = QGroupBox(self.relaySplitter)
        self.relayQueueGroup.setObjectName(u"relayQueueGroup")
        self.relayQueueLayout = QVBoxLayout(self.relayQueueGroup)
        self.relayQueueLayout.setObjectName(u"relayQueueLayout")
        self.relayQueueTable = QTableWidget(self.relayQueueGroup)
        if (self.relayQueueTable.columnCount() < 7):
            self.relayQueueTable.setColumnCount(7)
        __qtablewidgetitem = QTableWidgetItem()
        self.relayQueueTable.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.relayQueueTable.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.relayQueueTable.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        __qtablewidgetitem3 = QTableWidgetItem()
        self.relayQueueTable.setHorizontalHeaderItem(3, __qtablewidgetitem3)
        __qtablewidgetitem4 = QTableWidgetItem()
        self.relayQueueTable.setHorizontalHeaderItem(4, __qtablewidgetitem4)
        __qtablewidgetitem5 = QTableWidgetItem()
        self.relayQueueTable.setHorizontalHeaderItem(5, __qtablewidgetitem5)
        __qtablewidgetitem6 = QTableWidgetItem()
        self.relayQueueTable.setHorizontalHeaderItem(6, __qtablewidgetitem6)
        self.relayQueueTable.setObjectName(u"relayQueueTable")
        self.relayQueueTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.relayQueueTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.relayQueueTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.relayQueueTable.setAlternatingRowColors(True)
        self.relayQueueTable.horizontalHeader().setStretchLastSection(True)
        self.relayQueueTable.verticalHeader().setVisible(False)

        self.relayQueueLayout.addWidget(self.relayQueueTable)

        self.relayQueueButtons = QHBoxLayout()
        self.relayQueueButtons.setObjectName(u"relayQueueButtons")
        self.relayQueueCountLabel = QLabel(self.relayQueueGroup)
        self.relayQueueCountLabel.setObjectName(u"relayQueueCountLabel")

        self.relayQueueButtons.addWidget(self.relayQueueCountLabel)

        self.relayQueueSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.relayQueueButtons.addItem(self.relayQueueSpacer)

        self.relayFlushButton = QPushButton(self.relayQueueGroup)
        self.relayFlushButton.setObjectName(u"relayFlushButton")

        self.relayQueueButtons.addWidget(self.relayFlushButton)

        self.relayRetryButton = QPushButton(self.relayQueueGroup)
        self.relayRetryButton.setObjectName(u"relayRetryButton")
        self.relayRetryButton.setEnabled(False)

        self.relayQueueButtons.addWidget(self.relayRetryButton)


        self.relayQueueLayout.addLayout(self.relayQueueButtons)

        self.relaySplitter.addWidget(self.relayQueueGroup)

        self.pageLayout.addWidget(self.relaySplitter)

        self.relayTestGroup = QGroupBox(relayPage)
        self.relayTestGroup.setObjectName(u"relayTestGroup")
        self.relayTestLayout = QHBoxLayout(self.relayTestGroup)
        self.relayTestLayout.setObjectName(u"relayTestLayout")
        self.relayTestRecipientLabel = QLabel(self.relayTestGroup)
        self.relayTestRecipientLabel.setObjectName(u"relayTestRecipientLabel")

        self.relayTestLayout.addWidget(self.relayTestRecipientLabel)

        self.relayTestRecipientEdit = QLineEdit(self.relayTestGroup)
        self.relayTestRecipientEdit.setObjectName(u"relayTestRecipientEdit")
        self.relayTestRecipientEdit.setMaximumSize(QSize(280, 16777215))

        self.relayTestLayout.addWidget(self.relayTestRecipientEdit)

        self.relayTestButton = QPushButton(self.relayTestGroup)
        self.relayTestButton.setObjectName(u"relayTestButton")
        self.relayTestButton.setEnabled(False)

        self.relayTestLayout.addWidget(self.relayTestButton)

        self.relayTestResultLabel = QLabel(self.relayTestGroup)
        self.relayTestResultLabel.setObjectName(u"relayTestResultLabel")
        self.relayTestResultLabel.setWordWrap(True)

        self.relayTestLayout.addWidget(self.relayTestResultLabel)


        self.pageLayout.addWidget(self.relayTestGroup)

#if QT_CONFIG(shortcut)
        self.relayListenLabel.setBuddy(self.relayListenEdit)
        self.relayTestRecipientLabel.setBuddy(self.relayTestRecipientEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(relayPage)

        QMetaObject.connectSlotsByName(relayPage)
    # setupUi

    def retranslateUi(self, relayPage):
        self.relayIntroLabel.setText(QCoreApplication.translate("RelayPage", u"The relay lets the BI server and other programs send through this mailbox's senders: point their SMTP settings at the address below (no encryption needed on this machine). Every mail is kept in the queue until the provider has it, and lands in the sending records with the program's address.", None))
        self.relayServerGroup.setTitle(QCoreApplication.translate("RelayPage", u"Relay", None))
        self.relayListenLabel.setText(QCoreApplication.translate("RelayPage", u"Listen on:", None))
        self.relayListenEdit.setText(QCoreApplication.translate("RelayPage", u"127.0.0.1:2525", None))
        self.relayListenEdit.setPlaceholderText(QCoreApplication.translate("RelayPage", u"HOST:PORT, e.g. 127.0.0.1:2525", None))
        self.relayStartButton.setText(QCoreApplication.translate("RelayPage", u"&Start", None))
        self.relayStopButton.setText(QCoreApplication.translate("RelayPage", u"S&top", None))
        self.relayStatusLabel.setText(QCoreApplication.translate("RelayPage", u"The relay is stopped.", None))
        self.relayUsersGroup.setTitle(QCoreApplication.translate("RelayPage", u"Relay users", None))
        self.relayUsersHint.setText(QCoreApplication.translate("RelayPage", u"Programs on other machines log in with one of these (SMTP AUTH).", None))
        self.relayAddUserButton.setText(QCoreApplication.translate("RelayPage", u"&Add\u2026", None))
        self.relayRemoveUserButton.setText(QCoreApplication.translate("RelayPage", u"&Remove", None))
        self.relayQueueGroup.setTitle(QCoreApplication.translate("RelayPage", u"Queue", None))
        ___qtablewidgetitem = self.relayQueueTable.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("RelayPage", u"ID", None))
        ___qtablewidgetitem1 = self.relayQueueTable.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("RelayPage", u"Status", None))
        ___qtablewidgetitem2 = self.relayQueueTable.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(QCoreApplication.translate("RelayPage", u"Attempts", None))
        ___qtablewidgetitem3 = self.relayQueueTable.horizontalHeaderItem(3)
        ___qtablewidgetitem3.setText(QCoreApplication.translate("RelayPage", u"Next attempt", None))
        ___qtablewidgetitem4 = self.relayQueueTable.horizontalHeaderItem(4)
        ___qtablewidgetitem4.setText(QCoreApplication.translate("RelayPage", u"Sender", None))
        ___qtablewidgetitem5 = self.relayQueueTable.horizontalHeaderItem(5)
        ___qtablewidgetitem5.setText(QCoreApplication.translate("RelayPage", u"Recipients", None))
        ___qtablewidgetitem6 = self.relayQueueTable.horizontalHeaderItem(6)
        ___qtablewidgetitem6.setText(QCoreApplication.translate("RelayPage", u"Last error", None))
        self.relayQueueCountLabel.setText(QCoreApplication.translate("RelayPage", u"The queue is empty.", None))
        self.relayFlushButton.setText(QCoreApplication.translate("RelayPage", u"Try all &now", None))
#if QT_CONFIG(tooltip)
        self.relayFlushButton.setToolTip(QCoreApplication.translate("RelayPage", u"Try every waiting mail now, e.g. after the mail server is back", None))
#endif // QT_CONFIG(tooltip)
        self.relayRetryButton.setText(QCoreApplication.translate("RelayPage", u"Send &again", None))
#if QT_CONFIG(tooltip)
        self.relayRetryButton.setToolTip(QCoreApplication.translate("RelayPage", u"Send an interrupted mail again (it may have been sent already)", None))
#endif // QT_CONFIG(tooltip)
        self.relayTestGroup.setTitle(QCoreApplication.translate("RelayPage", u"Send a test through the relay", None))
        self.relayTestRecipientLabel.setText(QCoreApplication.translate("RelayPage", u"Recipient:", None))
        self.relayTestRecipientEdit.setPlaceholderText(QCoreApplication.translate("RelayPage", u"someone@example.com", None))
        self.relayTestButton.setText(QCoreApplication.translate("RelayPage", u"Send &test", None))
        self.relayTestResultLabel.setText("")
        pass
    # retranslateUi
