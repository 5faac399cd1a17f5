# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'detect_dialog.ui'
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
    QLabel, QListWidget, QListWidgetItem, QSizePolicy,
    QVBoxLayout, QWidget)

class Ui_DetectDialog(object):
    def setupUi(self, detectDialog):
        if not detectDialog.objectName():
            detectDialog.setObjectName(u"detectDialog")
        detectDialog.resize(620, 380)
        self.dialogLayout = QVBoxLayout(detectDialog)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.detectStatusLabel = QLabel(detectDialog)
        self.detectStatusLabel.setObjectName(u"detectStatusLabel")
        self.detectStatusLabel.setText(u"")
        self.detectStatusLabel.setTextFormat(Qt.TextFormat.RichText)
        self.detectStatusLabel.setWordWrap(True)

        self.dialogLayout.addWidget(self.detectStatusLabel)

        self.detectResults = QListWidget(detectDialog)
        self.detectResults.setObjectName(u"detectResults")
        self.detectResults.setWordWrap(True)

        self.dialogLayout.addWidget(self.detectResults)

        self.buttonBox = QDialogButtonBox(detectDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.dialogLayout.addWidget(self.buttonBox)


        self.retranslateUi(detectDialog)

        QMetaObject.connectSlotsByName(detectDialog)
    # setupUi

    def retranslateUi(self, detectDialog):
        detectDialog.setWindowTitle(QCoreApplication.translate("DetectDialog", u"Find server settings", None))
    # retranslateUi
