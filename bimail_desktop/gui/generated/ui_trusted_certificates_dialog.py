# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'trusted_certificates_dialog.ui'
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
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QDialog, QHBoxLayout,
    QHeaderView, QLabel, QPushButton, QSizePolicy,
    QSpacerItem, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget)

class Ui_TrustedCertificatesDialog(object):
    def setupUi(self, trustedCertificatesDialog):
        if not trustedCertificatesDialog.objectName():
            trustedCertificatesDialog.setObjectName(u"trustedCertificatesDialog")
        trustedCertificatesDialog.resize(760, 360)
        self.dialogLayout = QVBoxLayout(trustedCertificatesDialog)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.trustedIntroLabel = QLabel(trustedCertificatesDialog)
        self.trustedIntroLabel.setObjectName(u"trustedIntroLabel")
        self.trustedIntroLabel.setWordWrap(True)

        self.dialogLayout.addWidget(self.trustedIntroLabel)

        self.trustedCertificatesTable = QTableWidget(trustedCertificatesDialog)
        if (self.trustedCertificatesTable.columnCount() < 5):
            self.trustedCertificatesTable.setColumnCount(5)
        __qtablewidgetitem = QTableWidgetItem()
        self.trustedCertificatesTable.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.trustedCertificatesTable.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.trustedCertificatesTable.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        __qtablewidgetitem3 = QTableWidgetItem()
        self.trustedCertificatesTable.setHorizontalHeaderItem(3, __qtablewidgetitem3)
        __qtablewidgetitem4 = QTableWidgetItem()
        self.trustedCertificatesTable.setHorizontalHeaderItem(4, __qtablewidgetitem4)
        self.trustedCertificatesTable.setObjectName(u"trustedCertificatesTable")
        self.trustedCertificatesTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.trustedCertificatesTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.trustedCertificatesTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)

        self.dialogLayout.addWidget(self.trustedCertificatesTable)

        self.trustedStatusLabel = QLabel(trustedCertificatesDialog)
        self.trustedStatusLabel.setObjectName(u"trustedStatusLabel")
        self.trustedStatusLabel.setText(u"")
        self.trustedStatusLabel.setWordWrap(True)

        self.dialogLayout.addWidget(self.trustedStatusLabel)

        self.buttonRow = QHBoxLayout()
        self.buttonRow.setObjectName(u"buttonRow")
        self.removeTrustButton = QPushButton(trustedCertificatesDialog)
        self.removeTrustButton.setObjectName(u"removeTrustButton")

        self.buttonRow.addWidget(self.removeTrustButton)

        self.importCaButton = QPushButton(trustedCertificatesDialog)
        self.importCaButton.setObjectName(u"importCaButton")

        self.buttonRow.addWidget(self.importCaButton)

        self.buttonRowSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonRow.addItem(self.buttonRowSpacer)

        self.closeTrustButton = QPushButton(trustedCertificatesDialog)
        self.closeTrustButton.setObjectName(u"closeTrustButton")

        self.buttonRow.addWidget(self.closeTrustButton)


        self.dialogLayout.addLayout(self.buttonRow)

        QWidget.setTabOrder(self.trustedCertificatesTable, self.removeTrustButton)
        QWidget.setTabOrder(self.removeTrustButton, self.importCaButton)
        QWidget.setTabOrder(self.importCaButton, self.closeTrustButton)

        self.retranslateUi(trustedCertificatesDialog)

        QMetaObject.connectSlotsByName(trustedCertificatesDialog)
    # setupUi

    def retranslateUi(self, trustedCertificatesDialog):
        trustedCertificatesDialog.setWindowTitle(QCoreApplication.translate("TrustedCertificatesDialog", u"Trusted certificates", None))
        self.trustedIntroLabel.setText(QCoreApplication.translate("TrustedCertificatesDialog", u"Certificates trusted in this program, in addition to the system's: imported CA certificates, and certificates of one server (pinned).", None))
        ___qtablewidgetitem = self.trustedCertificatesTable.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("TrustedCertificatesDialog", u"Kind", None))
        ___qtablewidgetitem1 = self.trustedCertificatesTable.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("TrustedCertificatesDialog", u"Server", None))
        ___qtablewidgetitem2 = self.trustedCertificatesTable.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(QCoreApplication.translate("TrustedCertificatesDialog", u"Subject", None))
        ___qtablewidgetitem3 = self.trustedCertificatesTable.horizontalHeaderItem(3)
        ___qtablewidgetitem3.setText(QCoreApplication.translate("TrustedCertificatesDialog", u"SHA-256", None))
        ___qtablewidgetitem4 = self.trustedCertificatesTable.horizontalHeaderItem(4)
        ___qtablewidgetitem4.setText(QCoreApplication.translate("TrustedCertificatesDialog", u"Added", None))
        self.removeTrustButton.setText(QCoreApplication.translate("TrustedCertificatesDialog", u"Remove", None))
        self.importCaButton.setText(QCoreApplication.translate("TrustedCertificatesDialog", u"Import CA certificate\u2026", None))
        self.closeTrustButton.setText(QCoreApplication.translate("TrustedCertificatesDialog", u"Close", None))
    # retranslateUi
