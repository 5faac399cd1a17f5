# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'records_page.ui'
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
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QDateEdit,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QProgressBar, QPushButton, QSizePolicy, QSpacerItem,
    QSpinBox, QSplitter, QTableView, QTextBrowser,
    QVBoxLayout, QWidget)

class Ui_RecordsPage(object):
    def setupUi(self, recordsPage):
        if not recordsPage.objectName():
            recordsPage.setObjectName(u"recordsPage")
        recordsPage.resize(1100, 600)
        self.pageLayout = QVBoxLayout(recordsPage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.filterRow1 = QHBoxLayout()
        self.filterRow1.setObjectName(u"filterRow1")
        self.senderFilterLabel = QLabel(recordsPage)
        self.senderFilterLabel.setObjectName(u"senderFilterLabel")

        self.filterRow1.addWidget(self.senderFilterLabel)

        self.senderFilterEdit = QLineEdit(recordsPage)
        self.senderFilterEdit.setObjectName(u"senderFilterEdit")
        self.senderFilterEdit.setClearButtonEnabled(True)

        self.filterRow1.addWidget(self.senderFilterEdit)

        self.recipientFilterLabel = QLabel(recordsPage)
        self.recipientFilterLabel.setObjectName(u"recipientFilterLabel")

        self.filterRow1.addWidget(self.recipientFilterLabel)

        self.recipientFilterEdit = QLineEdit(recordsPage)
        self.recipientFilterEdit.setObjectName(u"recipientFilterEdit")
        self.recipientFilterEdit.setClearButtonEnabled(True)

        self.filterRow1.addWidget(self.recipientFilterEdit)

        self.templateFilterLabel = QLabel(recordsPage)
        self.templateFilterLabel.setObjectName(u"templateFilterLabel")

        self.filterRow1.addWidget(self.templateFilterLabel)

        self.templateFilterEdit = QLineEdit(recordsPage)
        self.templateFilterEdit.setObjectName(u"templateFilterEdit")
        self.templateFilterEdit.setClearButtonEnabled(True)

        self.filterRow1.addWidget(self.templateFilterEdit)


        self.pageLayout.addLayout(self.filterRow1)

        self.filterRow2 = QHBoxLayout()
        self.filterRow2.setObjectName(u"filterRow2")
        self.quickRangeCombo = QComboBox(recordsPage)
        self.quickRangeCombo.setObjectName(u"quickRangeCombo")

        self.filterRow2.addWidget(self.quickRangeCombo)

        self.sinceLabel = QLabel(recordsPage)
        self.sinceLabel.setObjectName(u"sinceLabel")

        self.filterRow2.addWidget(self.sinceLabel)

        self.sinceDateEdit = QDateEdit(recordsPage)
        self.sinceDateEdit.setObjectName(u"sinceDateEdit")
        self.sinceDateEdit.setCalendarPopup(True)
        self.sinceDateEdit.setDisplayFormat(u"yyyy-MM-dd")
        self.sinceDateEdit.setMinimumDate(QDate(2000, 1, 1))
        self.sinceDateEdit.setDate(QDate(2000, 1, 1))

        self.filterRow2.addWidget(self.sinceDateEdit)

        self.untilLabel = QLabel(recordsPage)
        self.untilLabel.setObjectName(u"untilLabel")

        self.filterRow2.addWidget(self.untilLabel)

        self.untilDateEdit = QDateEdit(recordsPage)
        self.untilDateEdit.setObjectName(u"untilDateEdit")
        self.untilDateEdit.setCalendarPopup(True)
        self.untilDateEdit.setDisplayFormat(u"yyyy-MM-dd")
        self.untilDateEdit.setMinimumDate(QDate(2000, 1, 1))
        self.untilDateEdit.setDate(QDate(2000, 1, 1))

        self.filterRow2.addWidget(self.untilDateEdit)

        self.resultFilterLabel = QLabel(recordsPage)
        self.resultFilterLabel.setObjectName(u"resultFilterLabel")

        self.filterRow2.addWidget(self.resultFilterLabel)

        self.resultFilterCombo = QComboBox(recordsPage)
        self.resultFilterCombo.setObjectName(u"resultFilterCombo")

        self.filterRow2.addWidget(self.resultFilterCombo)

        self.failuresOnlyButton = QPushButton(recordsPage)
        self.failuresOnlyButton.setObjectName(u"failuresOnlyButton")
        self.failuresOnlyButton.setCheckable(True)

        self.filterRow2.addWidget(self.failuresOnlyButton)

        self.clearFiltersButton = QPushButton(recordsPage)
        self.clearFiltersButton.setObjectName(u"clearFiltersButton")

        self.filterRow2.addWidget(self.clearFiltersButton)

        self.filterSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.filterRow2.addItem(self.filterSpacer)


        self.pageLayout.addLayout(self.filterRow2)

        self.recordsSplitter = QSplitter(recordsPage)
        self.recordsSplitter.setObjectName(u"recordsSplitter")
        self.recordsSplitter.setOrientation(Qt.Orientation.Vertical)
        self.recordsSplitter.setChildrenCollapsible(False)
        self.recordsTable = QTableView(self.recordsSplitter)
        self.recordsTable.setObjectName(u"recordsTable")
        self.recordsTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.recordsTable.setAlternatingRowColors(True)
        self.recordsTable.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.recordsTable.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.recordsTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.recordsTable.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.recordsTable.setWordWrap(False)
        self.recordsSplitter.addWidget(self.recordsTable)
        self.recordDetail = QTextBrowser(self.recordsSplitter)
        self.recordDetail.setObjectName(u"recordDetail")
        self.recordDetail.setMinimumSize(QSize(0, 120))
        self.recordDetail.setOpenLinks(False)
        self.recordsSplitter.addWidget(self.recordDetail)

        self.pageLayout.addWidget(self.recordsSplitter)

        self.bottomRow = QHBoxLayout()
        self.bottomRow.setObjectName(u"bottomRow")
        self.recordCountLabel = QLabel(recordsPage)
        self.recordCountLabel.setObjectName(u"recordCountLabel")
        self.recordCountLabel.setText(u"")

        self.bottomRow.addWidget(self.recordCountLabel)

        self.recordsMessageLabel = QLabel(recordsPage)
        self.recordsMessageLabel.setObjectName(u"recordsMessageLabel")
        self.recordsMessageLabel.setText(u"")
        self.recordsMessageLabel.setWordWrap(True)

        self.bottomRow.addWidget(self.recordsMessageLabel)

        self.bottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.bottomRow.addItem(self.bottomSpacer)

        self.exportProgress = QProgressBar(recordsPage)
        self.exportProgress.setObjectName(u"exportProgress")
        self.exportProgress.setVisible(False)
        self.exportProgress.setTextVisible(True)

        self.bottomRow.addWidget(self.exportProgress)

        self.cancelExportButton = QPushButton(recordsPage)
        self.cancelExportButton.setObjectName(u"cancelExportButton")
        self.cancelExportButton.setVisible(False)

        self.bottomRow.addWidget(self.cancelExportButton)

        self.exportCsvButton = QPushButton(recordsPage)
        self.exportCsvButton.setObjectName(u"exportCsvButton")

        self.bottomRow.addWidget(self.exportCsvButton)

        self.retentionLabel = QLabel(recordsPage)
        self.retentionLabel.setObjectName(u"retentionLabel")

        self.bottomRow.addWidget(self.retentionLabel)

        self.retentionDaysSpin = QSpinBox(recordsPage)
        self.retentionDaysSpin.setObjectName(u"retentionDaysSpin")
        self.retentionDaysSpin.setMinimum(0)
        self.retentionDaysSpin.setMaximum(36500)
        self.retentionDaysSpin.setValue(0)

        self.bottomRow.addWidget(self.retentionDaysSpin)

        self.deleteOldButton = QPushButton(recordsPage)
        self.deleteOldButton.setObjectName(u"deleteOldButton")
        self.deleteOldButton.setEnabled(False)

        self.bottomRow.addWidget(self.deleteOldButton)


        self.pageLayout.addLayout(self.bottomRow)

#if QT_CONFIG(shortcut)
        self.senderFilterLabel.setBuddy(self.senderFilterEdit)
        self.recipientFilterLabel.setBuddy(self.recipientFilterEdit)
        self.templateFilterLabel.setBuddy(self.templateFilterEdit)
        self.sinceLabel.setBuddy(self.sinceDateEdit)
        self.untilLabel.setBuddy(self.untilDateEdit)
        self.resultFilterLabel.setBuddy(self.resultFilterCombo)
        self.retentionLabel.setBuddy(self.retentionDaysSpin)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(recordsPage)

        QMetaObject.connectSlotsByName(recordsPage)
    # setupUi

    def retranslateUi(self, recordsPage):
        self.senderFilterLabel.setText(QCoreApplication.translate("RecordsPage", u"&Sender:", None))
        self.senderFilterEdit.setPlaceholderText(QCoreApplication.translate("RecordsPage", u"any sender", None))
#if QT_CONFIG(tooltip)
        self.senderFilterEdit.setToolTip(QCoreApplication.translate("RecordsPage", u"Show records whose sender address contains this text (case does not matter)", None))
#endif // QT_CONFIG(tooltip)
        self.recipientFilterLabel.setText(QCoreApplication.translate("RecordsPage", u"&Recipient:", None))
        self.recipientFilterEdit.setPlaceholderText(QCoreApplication.translate("RecordsPage", u"any recipient", None))
#if QT_CONFIG(tooltip)
        self.recipientFilterEdit.setToolTip(QCoreApplication.translate("RecordsPage", u"Show records whose recipient (Receive Email) contains this text", None))
#endif // QT_CONFIG(tooltip)
        self.templateFilterLabel.setText(QCoreApplication.translate("RecordsPage", u"&Template:", None))
        self.templateFilterEdit.setPlaceholderText(QCoreApplication.translate("RecordsPage", u"any template", None))
#if QT_CONFIG(tooltip)
        self.templateFilterEdit.setToolTip(QCoreApplication.translate("RecordsPage", u"Show records whose template name contains this text", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(tooltip)
        self.quickRangeCombo.setToolTip(QCoreApplication.translate("RecordsPage", u"Choose a common range of days; From and To below show what it means", None))
#endif // QT_CONFIG(tooltip)
        self.sinceLabel.setText(QCoreApplication.translate("RecordsPage", u"&From:", None))
#if QT_CONFIG(tooltip)
        self.sinceDateEdit.setToolTip(QCoreApplication.translate("RecordsPage", u"Show records sent on or after this day (your time zone); \"Any day\" for no limit", None))
#endif // QT_CONFIG(tooltip)
        self.sinceDateEdit.setSpecialValueText(QCoreApplication.translate("RecordsPage", u"Any day", None))
        self.untilLabel.setText(QCoreApplication.translate("RecordsPage", u"T&o:", None))
#if QT_CONFIG(tooltip)
        self.untilDateEdit.setToolTip(QCoreApplication.translate("RecordsPage", u"Show records sent on or before this day (inclusive); \"Any day\" for no limit", None))
#endif // QT_CONFIG(tooltip)
        self.untilDateEdit.setSpecialValueText(QCoreApplication.translate("RecordsPage", u"Any day", None))
        self.resultFilterLabel.setText(QCoreApplication.translate("RecordsPage", u"Res&ult:", None))
        self.failuresOnlyButton.setText(QCoreApplication.translate("RecordsPage", u"Failures only", None))
#if QT_CONFIG(tooltip)
        self.failuresOnlyButton.setToolTip(QCoreApplication.translate("RecordsPage", u"Show only the mails that could not be sent", None))
#endif // QT_CONFIG(tooltip)
        self.clearFiltersButton.setText(QCoreApplication.translate("RecordsPage", u"Clear filters", None))
#if QT_CONFIG(tooltip)
        self.clearFiltersButton.setToolTip(QCoreApplication.translate("RecordsPage", u"Show every record again", None))
#endif // QT_CONFIG(tooltip)
        self.recordDetail.setPlaceholderText(QCoreApplication.translate("RecordsPage", u"Select a record to see everything stored about it.", None))
        self.cancelExportButton.setText(QCoreApplication.translate("RecordsPage", u"Cancel", None))
#if QT_CONFIG(tooltip)
        self.cancelExportButton.setToolTip(QCoreApplication.translate("RecordsPage", u"Stop the export; no file is written", None))
#endif // QT_CONFIG(tooltip)
        self.exportCsvButton.setText(QCoreApplication.translate("RecordsPage", u"&Export CSV\u2026", None))
#if QT_CONFIG(tooltip)
        self.exportCsvButton.setToolTip(QCoreApplication.translate("RecordsPage", u"Save every record that matches the filters as a CSV file (opens in Excel)", None))
#endif // QT_CONFIG(tooltip)
        self.retentionLabel.setText(QCoreApplication.translate("RecordsPage", u"Delete records older than", None))
#if QT_CONFIG(tooltip)
        self.retentionDaysSpin.setToolTip(QCoreApplication.translate("RecordsPage", u"Records older than this many days can be deleted; \"Keep everything\" keeps them all", None))
#endif // QT_CONFIG(tooltip)
        self.retentionDaysSpin.setSpecialValueText(QCoreApplication.translate("RecordsPage", u"Keep everything", None))
        self.retentionDaysSpin.setSuffix(QCoreApplication.translate("RecordsPage", u" days", None))
        self.deleteOldButton.setText(QCoreApplication.translate("RecordsPage", u"&Delete\u2026", None))
#if QT_CONFIG(tooltip)
        self.deleteOldButton.setToolTip(QCoreApplication.translate("RecordsPage", u"Delete the finished records older than the chosen number of days (asks first)", None))
#endif // QT_CONFIG(tooltip)
        pass
    # retranslateUi
